//! Wrong input is refused with an error that says what is wrong — never a
//! panic, never silently accepted: unknown fields and wrong types anywhere in a
//! client body, broken limits, and text that is not a frame at all. Server
//! frames, on the contrary, tolerate fields a newer server adds.

mod common;

use banner_proto::*;
use common::{Parse, docs, examples, kind};
use serde_json::{Map, Value, json};

/// Makes changed copies of one object, each with a description.
type Change<'a> = &'a dyn Fn(&Map<String, Value>) -> Vec<(String, Map<String, Value>)>;

/// The client examples of the docs, parsed, with their parser.
fn client_examples() -> Vec<(String, Value, Parse)> {
    examples(&docs())
        .into_iter()
        .filter_map(|e| {
            let kind = kind(&e.ty)?;
            kind.client.then(|| {
                let value = serde_json::from_str(&e.json).expect("valid JSON");
                (
                    format!("{} at docs line {}", e.ty, e.line),
                    value,
                    kind.parse,
                )
            })
        })
        .collect()
}

/// Every copy of `value` with one object changed by `change`, for each object
/// inside it (the root included), with a description of the place.
fn each_object_changed(value: &Value, change: Change<'_>) -> Vec<(String, Value)> {
    fn walk(root: &Value, pointer: String, change: Change<'_>, out: &mut Vec<(String, Value)>) {
        match root.pointer(&pointer).expect("a walked path") {
            Value::Object(map) => {
                for (what, replacement) in change(map) {
                    let mut copy = root.clone();
                    *copy.pointer_mut(&pointer).expect("the same path") =
                        Value::Object(replacement);
                    out.push((format!("{pointer} {what}"), copy));
                }
                for key in map.keys() {
                    walk(root, format!("{pointer}/{key}"), change, out);
                }
            }
            Value::Array(items) => {
                for i in 0..items.len() {
                    walk(root, format!("{pointer}/{i}"), change, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), change, &mut out);
    out
}

#[test]
fn an_unknown_field_anywhere_in_a_client_body_is_refused() {
    let mut checked = 0;
    for (name, example, parse) in client_examples() {
        let variants = each_object_changed(&example, &|map| {
            let mut changed = map.clone();
            changed.insert("surprise".into(), json!(1));
            vec![("with a field `surprise`".into(), changed)]
        });
        for (what, changed) in variants {
            let err =
                parse(&changed.to_string()).expect_err(&format!("{name}: {what} was accepted"));
            assert!(
                err.contains("unknown field `surprise`"),
                "{name}: {what}: {err}"
            );
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} objects checked");
}

/// A value of another JSON type than `value`'s, that no field accepts instead.
fn wrong_type(value: &Value) -> Value {
    match value {
        Value::String(_) => json!(12345),
        Value::Number(_) => json!("12"),
        Value::Bool(_) => json!("yes"),
        Value::Null => json!(true),
        Value::Array(_) => json!({}),
        Value::Object(_) => json!([]),
    }
}

#[test]
fn a_wrong_type_anywhere_in_a_client_body_is_refused() {
    let mut checked = 0;
    for (name, example, parse) in client_examples() {
        let variants = each_object_changed(&example, &|map| {
            map.iter()
                .map(|(key, value)| {
                    let mut changed = map.clone();
                    changed.insert(key.clone(), wrong_type(value));
                    (format!("with {key} of the wrong type"), changed)
                })
                .collect()
        });
        for (what, changed) in variants {
            let err = parse(&changed.to_string())
                .expect_err(&format!("{name}: {what} was accepted: {changed}"));
            assert!(!err.is_empty(), "{name}: {what}: an empty message");
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} fields checked");
}

#[test]
fn text_that_is_not_a_frame_is_an_error_not_a_panic() {
    for text in [
        "",
        "hello",
        "null",
        "[]",
        "{}",
        "\"send_message\"",
        r#"{"type": 5}"#,
        r#"{"type": "nope", "id": "x"}"#,
        r#"{"type": "send_message""#,
        r#"{"type": "send_message", "id": "a"}"#,
        r#"{"type": "hello", "type": "ping", "id": "a"}"#,
        &"[".repeat(10_000),
    ] {
        assert!(
            serde_json::from_str::<AgentCommand>(text).is_err(),
            "{text:.40}"
        );
        assert!(
            serde_json::from_str::<VisitorCommand>(text).is_err(),
            "{text:.40}"
        );
    }
}

fn send_message(text: &str, id: &str, attachments: usize, conversation: u64) -> String {
    json!({
        "type": "send_message",
        "id": id,
        "conversation": conversation,
        "text": text,
        "private": false,
        "attachments": (1..=attachments).collect::<Vec<_>>(),
    })
    .to_string()
}

fn refusal(frame: &str) -> String {
    serde_json::from_str::<AgentCommand>(frame)
        .expect_err("refused")
        .to_string()
}

#[test]
fn limits_are_checked_while_parsing() {
    let ok = |frame: &str| serde_json::from_str::<AgentCommand>(frame).unwrap();
    let max_text = "é".repeat(limits::MAX_TEXT_CHARS);
    let max_id = "x".repeat(limits::MAX_CLIENT_ID);
    ok(&send_message(
        &max_text,
        &max_id,
        limits::MAX_ATTACHMENTS,
        limits::MAX_SAFE_INTEGER,
    ));

    let long = format!("{max_text}é");
    assert!(refusal(&send_message(&long, "a", 0, 1)).contains("at most 4000 characters"));
    let long_id = format!("{max_id}x");
    assert!(refusal(&send_message("hi", &long_id, 0, 1)).contains("1 to 64 characters"));
    assert!(refusal(&send_message("hi", "", 0, 1)).contains("1 to 64 characters"));
    assert!(refusal(&send_message("hi", "a b", 0, 1)).contains("printable ASCII"));
    let many = limits::MAX_ATTACHMENTS + 1;
    assert!(refusal(&send_message("hi", "a", many, 1)).contains("at most 10 attachments"));
    let beyond = limits::MAX_SAFE_INTEGER + 1;
    assert!(refusal(&send_message("hi", "a", 0, beyond)).contains("2^53 - 1"));
}

#[test]
fn optional_fields_of_client_bodies_may_be_left_out() {
    let wrap_up: AgentCommand =
        serde_json::from_str(r#"{"type": "complete_wrap_up", "id": "w1", "conversation": 3}"#)
            .unwrap();
    let AgentCommand::CompleteWrapUp(body) = wrap_up else {
        panic!("complete_wrap_up")
    };
    assert_eq!(body.disposition, None);
    let session: VisitorSessionRequest = serde_json::from_str(r#"{"site_key": "k"}"#).unwrap();
    assert_eq!((session.customer, session.direct_agent), (None, None));
    let query: EventsQuery = serde_json::from_str("{}").unwrap();
    assert_eq!(query, EventsQuery::default());
    assert!(serde_json::from_str::<HistoryQuery>(r#"{"q": "x", "page": 2}"#).is_err());
}

#[test]
fn a_refused_frame_still_yields_its_id_for_the_error_answer() {
    let frame = r#"{"type": "send_message", "id": "m-1", "conversation": "7"}"#;
    assert!(serde_json::from_str::<AgentCommand>(frame).is_err());
    let probe: FrameProbe = serde_json::from_str(frame).unwrap();
    assert_eq!(probe.kind.as_deref(), Some("send_message"));
    assert_eq!(probe.id.as_ref().map(ClientId::as_str), Some("m-1"));

    let garbled: FrameProbe = serde_json::from_str(r#"{"type": 5, "id": ["x"]}"#).unwrap();
    assert_eq!(garbled, FrameProbe::default());
    assert!(serde_json::from_str::<FrameProbe>("\"text\"").is_err());
}

#[test]
fn server_frames_tolerate_fields_a_newer_server_adds() {
    let frame = r#"{"type": "ack", "id": "a", "conversation": null, "seq": null, "trace": "t"}"#;
    assert!(serde_json::from_str::<AgentFrame>(frame).is_ok());
    let event = r#"{"type": "event", "conversation": 1, "seq": 2, "at": 3,
        "event": {"type": "visitor_left", "reason": "tab closed"}}"#;
    assert!(serde_json::from_str::<VisitorFrame>(&event.replace("visitor_left", "queued")).is_ok());
    assert!(serde_json::from_str::<AgentFrame>(event).is_ok());
}

#[test]
fn every_command_but_hello_and_typing_has_an_id() {
    for (name, example, _) in client_examples() {
        let Ok(command) = serde_json::from_value::<AgentCommand>(example.clone()) else {
            continue;
        };
        let expected = example.get("id").and_then(Value::as_str);
        assert_eq!(command.id().map(ClientId::as_str), expected, "{name}");
        let untracked = matches!(command, AgentCommand::Hello(_) | AgentCommand::Typing(_));
        assert_eq!(expected.is_none(), untracked, "{name}");
    }
}
