//! Attachments end to end: uploads typed by their bytes and capped before
//! they are read, files carried by messages to both sides, downloads only for
//! the parties of the conversation, private notes' files kept from the
//! visitor, and files that outlive a restart.

#![allow(clippy::unwrap_used)]

mod common;

use banner_client::{AgentClient, ConnectOptions, VisitorClient};
use banner_proto::*;
use common::chat::{Chat, start_chat};
use common::files::*;
use common::people::{agent, connect_visitor, login, visitor, visitor_session};
use common::wait::{agent_event, arrived, until, visitor_event};
use common::{SITE, Server, assert_refused, raw, refusal, settings};

#[tokio::test]
async fn uploads_are_typed_by_their_bytes_never_by_their_claim() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        visitor,
    } = start_chat(&server).await;

    let photo = visitor
        .client
        .upload(c, "photo de moi.pdf", "application/pdf", PNG.to_vec())
        .await
        .unwrap()
        .attachment;
    assert_eq!(
        photo.media_type, "image/png",
        "the bytes win over the claim"
    );
    assert_eq!(
        photo.filename, "photo de moi.pdf",
        "the name is shown as given"
    );
    assert_eq!((photo.conversation, photo.size), (c, PNG.len() as u64));

    let pdf = ada
        .client
        .upload(c, "", "image/png", PDF.to_vec())
        .await
        .unwrap()
        .attachment;
    assert_eq!(pdf.media_type, "application/pdf");
    assert_eq!(
        pdf.filename, "attachment.pdf",
        "a file without a name gets one"
    );

    let tricky = ada
        .client
        .upload(
            c,
            "../../etc/invoice\u{202E}fdp.exe",
            "application/pdf",
            PDF.to_vec(),
        )
        .await
        .unwrap()
        .attachment;
    assert_eq!(tricky.filename, "invoicefdp.exe", "no path, no bidi trick");

    for (bytes, claimed) in [
        (HTML, "image/png"),
        (SVG, "image/svg+xml"),
        (b"".as_slice(), "image/gif"),
    ] {
        let refused = visitor
            .client
            .upload(c, "x.png", claimed, bytes.to_vec())
            .await;
        assert_refused(refused, ErrorCode::UnsupportedMediaType);
    }
    let long = "a".repeat(limits::MAX_FILENAME_CHARS + 1);
    let refused = ada
        .client
        .upload(c, &long, "application/pdf", PDF.to_vec())
        .await;
    assert_refused(refused, ErrorCode::BadRequest);
    let stranger = AgentClient::with_token(&server.base(), "not-a-token").unwrap();
    let refused = stranger.upload_file(c, PDF, "x.pdf").await;
    assert_refused(refused, ErrorCode::Unauthorized);
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
            chat.visitor.client.token()
        )
    };

    // The length alone is refused: no byte of the body was ever sent.
    let status = raw::request(server.addr, &head("Content-Length: 65537"), None).await;
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
    let status = raw::request(
        server.addr,
        &head("Transfer-Encoding: chunked"),
        Some(chunks),
    )
    .await;
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");

    // Within the cap, a chunked body is fine.
    let chunks = vec![PNG.to_vec(), vec![0; 1024]];
    let status = raw::request(
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
    } = start_chat(&server).await;

    let photo = visitor.client.uploaded(c, PNG, "photo de moi.png").await;
    let ack = visitor
        .ws
        .send_message_with(Some(c), "", &[photo.id])
        .await
        .unwrap();
    assert!(ack.seq.is_some());
    // The sender's own event came before the ack.
    assert_eq!(
        visitor_files(&arrived(&mut visitor.ws)),
        std::slice::from_ref(&photo),
        "the sender sees it too"
    );
    let (seen, _) = agent_event(&mut ada.ws, c, |e| match e {
        AgentEvent::Message { attachments, .. } if !attachments.is_empty() => {
            Some(attachments.clone())
        }
        _ => None,
    })
    .await;
    assert_eq!(
        seen,
        std::slice::from_ref(&photo),
        "a file alone is a message"
    );

    let download = ada.client.download(photo.id).await.unwrap();
    assert_eq!(download.media_type.as_deref(), Some("image/png"));
    assert_eq!(download.filename.as_deref(), Some("photo de moi.png"));
    assert_eq!(download.bytes, PNG);
    // The headers that keep a browser from running the file.
    let response = raw::get(
        &server,
        &http::path::with_id(http::path::ATTACHMENT, photo.id),
        ada.client.token(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "image/png");
    assert_eq!(
        header("content-disposition"),
        "attachment; filename*=UTF-8''photo%20de%20moi.png"
    );
    assert_eq!(header("x-content-type-options"), "nosniff");

    let invoice = ada.client.uploaded(c, PDF, "facture.pdf").await;
    ada.ws
        .send_message_with(c, "Here it is.", false, &[invoice.id])
        .await
        .unwrap();
    let (seen, _) = visitor_event(&mut visitor.ws, c, |e| match e {
        VisitorEvent::Message { attachments, .. } if !attachments.is_empty() => {
            Some(attachments.clone())
        }
        _ => None,
    })
    .await;
    assert_eq!(seen, std::slice::from_ref(&invoice));
    let download = visitor.client.download(invoice.id).await.unwrap();
    assert_eq!(download.bytes, PDF);

    let empty = visitor.ws.send_message(Some(c), " ").await;
    assert_eq!(empty.unwrap_err().code(), Some(ErrorCode::EmptyMessage));
    server.stop().await;
}

#[tokio::test]
async fn only_the_parties_of_a_conversation_reach_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let chat = start_chat(&server).await;
    let c = chat.conversation;
    let photo = chat.visitor.client.uploaded(c, PNG, "me.png").await;

    let stranger = visitor_session(&server, SITE).await;
    let bob = login(&server, "bob").await;
    assert_refused(stranger.download(photo.id).await, ErrorCode::NotFound);
    assert_refused(
        stranger
            .upload(c, "me.png", "image/png", PNG.to_vec())
            .await,
        ErrorCode::NotFound,
    );
    assert_refused(bob.download(photo.id).await, ErrorCode::NotFound);
    assert_refused(
        bob.upload(c, "me.png", "image/png", PNG.to_vec()).await,
        ErrorCode::NotFound,
    );
    // A missing file and a hidden one look the same, but for their ids.
    let missing_id = AttachmentId(photo.id.0 + 1000);
    let (code, status, missing) = refusal(bob.download(missing_id).await);
    assert_eq!((code, status), (ErrorCode::NotFound, Some(404)));
    let (.., hidden) = refusal(bob.download(photo.id).await);
    assert_eq!(
        missing.replace(&missing_id.0.to_string(), "#"),
        hidden.replace(&photo.id.0.to_string(), "#"),
        "a missing file and a hidden one look the same"
    );

    let sue = login(&server, "sue").await;
    let download = sue.download(photo.id).await;
    assert_eq!(
        download.unwrap().bytes,
        PNG,
        "a supervisor who monitors sees it"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_file_sent_only_in_private_notes_stays_with_the_agents() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        mut visitor,
    } = start_chat(&server).await;
    let sue = agent(&server, "sue").await;

    let policy = ada.client.uploaded(c, PDF, "credit-policy.pdf").await;
    let whisper = sue.client.uploaded(c, PDF, "whisper.pdf").await;
    sue.ws
        .send_message_with(c, "For you, Ada.", true, &[whisper.id])
        .await
        .unwrap();
    ada.ws
        .send_message_with(c, "", true, &[policy.id])
        .await
        .unwrap();

    for file in [&policy, &whisper] {
        assert_refused(visitor.client.download(file.id).await, ErrorCode::NotFound);
        let taken = visitor
            .ws
            .send_message_with(Some(c), "mine now?", &[file.id])
            .await;
        assert_eq!(taken.unwrap_err().code(), Some(ErrorCode::NotFound));
    }
    let download = sue.client.download(policy.id).await;
    assert_eq!(download.unwrap().bytes, PDF, "agents see private files");

    // Sent publicly at last, the file reaches the visitor.
    ada.ws
        .send_message_with(c, "Our policy.", false, &[policy.id])
        .await
        .unwrap();
    let (seen, _) = until(&mut visitor.ws, |f| {
        let files = visitor_files(std::slice::from_ref(f));
        (!files.is_empty()).then_some(files)
    })
    .await;
    assert_eq!(
        seen,
        std::slice::from_ref(&policy),
        "no private note before it"
    );
    let download = visitor.client.download(policy.id).await;
    assert_eq!(download.unwrap().bytes, PDF);
    assert_refused(
        visitor.client.download(whisper.id).await,
        ErrorCode::NotFound,
    );
    server.stop().await;
}

#[tokio::test]
async fn files_of_another_conversation_cannot_be_sent() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        visitor: mine,
    } = start_chat(&server).await;

    let other = visitor(&server, SITE).await;
    let theirs_c = other.start("Hi!").await;
    let theirs = other.client.uploaded(theirs_c, PNG, "theirs.png").await;

    let refused = ada
        .ws
        .send_message_with(c, "Look", false, &[theirs.id])
        .await;
    assert_eq!(refused.unwrap_err().code(), Some(ErrorCode::NotFound));
    let refused = mine
        .ws
        .send_message_with(Some(c), "Look", &[theirs.id])
        .await;
    assert_eq!(refused.unwrap_err().code(), Some(ErrorCode::NotFound));
    let refused = mine
        .ws
        .send_message_with(Some(c), "Look", &[AttachmentId(999_999)])
        .await;
    assert_eq!(refused.unwrap_err().code(), Some(ErrorCode::NotFound));
    let refused = other
        .ws
        .send_message_with(None, "Again", &[theirs.id])
        .await;
    assert_eq!(
        refused.unwrap_err().code(),
        Some(ErrorCode::NotFound),
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
        ada,
        visitor,
    } = start_chat(&server).await;
    let photo = visitor.client.uploaded(c, PNG, "me.png").await;
    visitor
        .ws
        .send_message_with(Some(c), "", &[photo.id])
        .await
        .unwrap();
    let token = visitor.client.token().to_owned();
    visitor.ws.close().await;
    ada.ws.close().await;
    server.stop().await;

    let server = Server::start(&dir).await;
    let resume = ConnectOptions {
        resume: vec![Resume {
            conversation: c,
            last_seq: 0,
        }],
        ..ConnectOptions::default()
    };
    let client = VisitorClient::with_token(&server.base(), token).unwrap();
    // The replay comes before the answer to a command sent after `hello`.
    let mut visitor = connect_visitor(client, resume.clone()).await;
    visitor.ws.ping().await.unwrap();
    assert_eq!(
        visitor_files(&arrived(&mut visitor.ws)),
        std::slice::from_ref(&photo),
        "the log keeps the records"
    );
    let ada = login(&server, "ada").await;
    let (mut ada_ws, welcome) = ada.connect(resume).await.unwrap();
    assert!(welcome.refused.is_empty(), "{welcome:?}");
    ada_ws.ping().await.unwrap();
    assert_eq!(
        agent_files(&arrived(&mut ada_ws)),
        std::slice::from_ref(&photo)
    );

    for download in [
        visitor.client.download(photo.id).await,
        ada.download(photo.id).await,
    ] {
        assert_eq!(download.unwrap().bytes, PNG);
    }
    server.stop().await;
}
