//! Attachments end to end: uploads typed by their bytes and capped before
//! they are read, files carried by messages to both sides, downloads only for
//! the parties of the conversation, private notes' files kept from the
//! visitor, and files that outlive a restart.

#![allow(clippy::unwrap_used)]

mod common;

use banner_proto::*;
use common::chat::{Chat, start_chat};
use common::files::*;
use common::*;
use serde_json::json;

#[tokio::test]
async fn uploads_are_typed_by_their_bytes_never_by_their_claim() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let chat = start_chat(&server).await;
    let c = chat.conversation;
    let ada = server.token("ada").await;

    let response = server
        .upload(
            &chat.visitor_token,
            c,
            PNG,
            "application/pdf",
            Some("photo%20de%20moi.pdf"),
        )
        .await;
    assert_eq!(response.status(), 201);
    let photo = response.json::<Uploaded>().await.unwrap().attachment;
    assert_eq!(
        photo.media_type, "image/png",
        "the bytes win over the claim"
    );
    assert_eq!(
        photo.filename, "photo de moi.pdf",
        "the name is shown as given"
    );
    assert_eq!((photo.conversation, photo.size), (c, PNG.len() as u64));

    let response = server.upload(&ada, c, PDF, "image/png", None).await;
    assert_eq!(response.status(), 201);
    let pdf = response.json::<Uploaded>().await.unwrap().attachment;
    assert_eq!(pdf.media_type, "application/pdf");
    assert_eq!(
        pdf.filename, "attachment.pdf",
        "a file without a name gets one"
    );

    let tricky = server
        .upload(
            &ada,
            c,
            PDF,
            "application/pdf",
            Some("..%2F..%2Fetc%2Finvoice%E2%80%AEfdp.exe"),
        )
        .await;
    let tricky = tricky.json::<Uploaded>().await.unwrap().attachment;
    assert_eq!(tricky.filename, "invoicefdp.exe", "no path, no bidi trick");

    for (bytes, claimed) in [
        (HTML, "image/png"),
        (SVG, "image/svg+xml"),
        (b"".as_slice(), "image/gif"),
    ] {
        let response = server
            .upload(&chat.visitor_token, c, bytes, claimed, Some("x.png"))
            .await;
        assert_eq!(
            refused(response).await,
            (415, ErrorCode::UnsupportedMediaType),
            "{claimed}"
        );
    }
    let long = "a".repeat(limits::MAX_FILENAME_CHARS + 1);
    let response = server
        .upload(&ada, c, PDF, "application/pdf", Some(&long))
        .await;
    assert_eq!(refused(response).await, (400, ErrorCode::BadRequest));
    let response = server
        .upload("not-a-token", c, PDF, "application/pdf", None)
        .await;
    assert_eq!(refused(response).await, (401, ErrorCode::Unauthorized));
    server.stop().await;
}

#[tokio::test]
async fn oversized_uploads_are_refused_before_and_while_they_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(dir.path().to_owned());
    settings.attachments.max_bytes = 64 * 1024;
    let server = Server::start_with(settings).await;
    let chat = start_chat(&server).await;
    let path = http::path::with_id(http::path::CONVERSATION_ATTACHMENTS, chat.conversation);
    let head = |framing: &str| {
        format!(
            "POST {path} HTTP/1.1\r\nHost: banner\r\nAuthorization: Bearer {}\r\n\
             Content-Type: image/png\r\n{framing}\r\n\r\n",
            chat.visitor_token
        )
    };

    // The length alone is refused: no byte of the body was ever sent.
    let status = raw_request(server.addr, &head("Content-Length: 65537"), None).await;
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");

    // A body without a length is counted as it comes.
    let chunks: Vec<Vec<u8>> = (0..12)
        .map(|i| {
            if i == 0 {
                PNG.to_vec()
            } else {
                vec![0x42; 8 * 1024]
            }
        })
        .collect();
    let status = raw_request(
        server.addr,
        &head("Transfer-Encoding: chunked"),
        Some(chunks),
    )
    .await;
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");

    // Within the cap, a chunked body is fine.
    let chunks = vec![PNG.to_vec(), vec![0; 1024]];
    let status = raw_request(
        server.addr,
        &head("Transfer-Encoding: chunked"),
        Some(chunks),
    )
    .await;
    assert!(status.starts_with("HTTP/1.1 201"), "{status}");

    let kept: Vec<String> = std::fs::read_dir(dir.path().join("attachments"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(kept.len(), 1, "refused uploads leave no file: {kept:?}");
    server.stop().await;
}

#[tokio::test]
async fn a_message_carries_its_files_to_both_sides_and_they_download_safely() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        mut visitor,
        visitor_token,
        ..
    } = start_chat(&server).await;
    let ada_token = server.token("ada").await;

    let photo = server
        .uploaded(&visitor_token, c, PNG, "photo%20de%20moi.png")
        .await;
    let frames = visitor
        .visitor_command(visitor_message("f1", Some(c), "", &[photo.id]))
        .await;
    last_visitor_ack(&frames);
    assert_eq!(
        visitor_files(&frames),
        std::slice::from_ref(&photo),
        "the sender sees it too"
    );
    let seen = ada
        .agent_until(|f| !agent_files(std::slice::from_ref(f)).is_empty())
        .await;
    assert_eq!(
        agent_files(&seen),
        std::slice::from_ref(&photo),
        "a file alone is a message"
    );

    let response = server.download(&ada_token, photo.id).await;
    assert_eq!(response.status(), 200);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "image/png");
    assert_eq!(
        header("content-disposition"),
        "attachment; filename*=UTF-8''photo%20de%20moi.png"
    );
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(response.bytes().await.unwrap().as_ref(), PNG);

    let invoice = server.uploaded(&ada_token, c, PDF, "facture.pdf").await;
    let frames = ada
        .agent_command(agent_message("f2", c, "Here it is.", false, &[&invoice]))
        .await;
    last_ack(&frames);
    let seen = visitor
        .visitor_until(|f| !visitor_files(std::slice::from_ref(f)).is_empty())
        .await;
    assert_eq!(visitor_files(&seen), std::slice::from_ref(&invoice));
    let response = server.download(&visitor_token, invoice.id).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap().as_ref(), PDF);

    let frames = visitor
        .visitor_command(visitor_message("f3", Some(c), " ", &[]))
        .await;
    assert_eq!(visitor_refusal(&frames), ErrorCode::EmptyMessage);
    server.stop().await;
}

#[tokio::test]
async fn only_the_parties_of_a_conversation_reach_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let chat = start_chat(&server).await;
    let c = chat.conversation;
    let photo = server.uploaded(&chat.visitor_token, c, PNG, "me.png").await;

    let stranger = server.visitor().await.token;
    let bob = server.token("bob").await;
    for token in [&stranger, &bob] {
        let response = server.download(token, photo.id).await;
        assert_eq!(refused(response).await, (404, ErrorCode::NotFound));
        let response = server.upload(token, c, PNG, "image/png", None).await;
        assert_eq!(refused(response).await, (404, ErrorCode::NotFound));
    }
    let missing = server.download(&bob, AttachmentId(photo.id.0 + 1000)).await;
    assert_eq!(
        refused(missing).await,
        (404, ErrorCode::NotFound),
        "a missing file and a hidden one look the same"
    );

    let sue = server.token("sue").await;
    let response = server.download(&sue, photo.id).await;
    assert_eq!(response.status(), 200, "a supervisor who monitors sees it");
    server.stop().await;
}

#[tokio::test]
async fn a_file_sent_only_in_private_notes_stays_with_the_agents() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        mut visitor,
        visitor_token,
        ..
    } = start_chat(&server).await;
    let (ada_token, sue_token) = (server.token("ada").await, server.token("sue").await);

    let policy = server
        .uploaded(&ada_token, c, PDF, "credit-policy.pdf")
        .await;
    let whisper = server.uploaded(&sue_token, c, PDF, "whisper.pdf").await;
    let (mut sue, _) = server.agent_ws(&sue_token, vec![]).await;
    let frames = sue
        .agent_command(agent_message("s1", c, "For you, Ada.", true, &[&whisper]))
        .await;
    last_ack(&frames);
    let frames = ada
        .agent_command(agent_message("n1", c, "", true, &[&policy]))
        .await;
    last_ack(&frames);

    for file in [&policy, &whisper] {
        let response = server.download(&visitor_token, file.id).await;
        assert_eq!(refused(response).await, (404, ErrorCode::NotFound));
        let frames = visitor
            .visitor_command(visitor_message(
                &format!("v{}", file.id),
                Some(c),
                "mine now?",
                &[file.id],
            ))
            .await;
        assert_eq!(visitor_refusal(&frames), ErrorCode::NotFound);
    }
    let response = server.download(&sue_token, policy.id).await;
    assert_eq!(response.status(), 200, "agents see private files");

    // Sent publicly at last, the file reaches the visitor.
    let frames = ada
        .agent_command(agent_message("n2", c, "Our policy.", false, &[&policy]))
        .await;
    last_ack(&frames);
    let seen = visitor
        .visitor_until(|f| !visitor_files(std::slice::from_ref(f)).is_empty())
        .await;
    assert_eq!(
        visitor_files(&seen),
        std::slice::from_ref(&policy),
        "no private note before it"
    );
    let response = server.download(&visitor_token, policy.id).await;
    assert_eq!(response.status(), 200);
    let response = server.download(&visitor_token, whisper.id).await;
    assert_eq!(refused(response).await, (404, ErrorCode::NotFound));
    server.stop().await;
}

#[tokio::test]
async fn files_of_another_conversation_cannot_be_sent() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        mut visitor,
        ..
    } = start_chat(&server).await;

    let other = server.visitor().await;
    let (mut other_ws, _) = server.visitor_ws(&other.token, vec![]).await;
    let frames = other_ws
        .visitor_command(visitor_message("o1", None, "Hi!", &[]))
        .await;
    let theirs_c = last_visitor_ack(&frames).conversation.unwrap();
    let theirs = server
        .uploaded(&other.token, theirs_c, PNG, "theirs.png")
        .await;

    let frames = ada
        .agent_command(agent_message("x1", c, "Look", false, &[&theirs]))
        .await;
    assert_eq!(agent_refusal(&frames), ErrorCode::NotFound);
    let frames = visitor
        .visitor_command(visitor_message("x2", Some(c), "Look", &[theirs.id]))
        .await;
    assert_eq!(visitor_refusal(&frames), ErrorCode::NotFound);
    let frames = visitor
        .visitor_command(visitor_message(
            "x3",
            Some(c),
            "Look",
            &[AttachmentId(999_999)],
        ))
        .await;
    assert_eq!(visitor_refusal(&frames), ErrorCode::NotFound);
    let frames = other_ws
        .visitor_command(visitor_message("x4", None, "Again", &[theirs.id]))
        .await;
    assert_eq!(
        visitor_refusal(&frames),
        ErrorCode::NotFound,
        "a message starting a conversation has no file yet"
    );
    server.stop().await;
}

#[tokio::test]
async fn files_and_their_messages_outlive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut visitor,
        visitor_token,
        ..
    } = start_chat(&server).await;
    let photo = server.uploaded(&visitor_token, c, PNG, "me.png").await;
    let frames = visitor
        .visitor_command(visitor_message("r1", Some(c), "", &[photo.id]))
        .await;
    last_visitor_ack(&frames);
    visitor.close().await;
    server.stop().await;

    let server = Server::start(&dir).await;
    let resume = vec![Resume {
        conversation: c,
        last_seq: 0,
    }];
    let (mut visitor, _) = server.visitor_ws(&visitor_token, resume.clone()).await;
    let replay = visitor
        .visitor_command(json!({"type": "ping", "id": "p"}))
        .await;
    assert_eq!(
        visitor_files(&replay),
        std::slice::from_ref(&photo),
        "the log keeps the records"
    );
    let (mut ada, welcome) = server.agent_ws(&server.token("ada").await, resume).await;
    assert!(welcome.refused.is_empty(), "{welcome:?}");
    let replay = ada.agent_command(json!({"type": "ping", "id": "p"})).await;
    assert_eq!(agent_files(&replay), std::slice::from_ref(&photo));

    for token in [visitor_token, server.token("ada").await] {
        let response = server.download(&token, photo.id).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.bytes().await.unwrap().as_ref(), PNG);
    }
    server.stop().await;
}
