//! `docs/protocol.md` is the reference third parties write clients from: every
//! JSON example in it parses into the type its fence names and survives a round
//! trip, every frame and event type has an example, and its tables name every
//! error code and every refusal of the domain and the store.

mod common;

use std::collections::BTreeSet;

use banner_proto::*;
use common::{Example, docs, examples, kind, read, variants};
use serde_json::Value;

/// Compares an example with its round trip. Server examples must show every
/// field (the server writes them all); client examples may leave out optional
/// fields, which come back as `null`.
fn same(example: &Value, again: &Value, client: bool, at: &str) -> Result<(), String> {
    match (example, again) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let there = b
                    .get(key)
                    .ok_or_else(|| format!("{at}.{key} is not part of the type"))?;
                same(value, there, client, &format!("{at}.{key}"))?;
            }
            for (key, value) in b {
                let optional_left_out = client && value.is_null();
                if !a.contains_key(key) && !optional_left_out {
                    return Err(format!("{at}.{key} is missing from the example"));
                }
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .try_for_each(|(i, (x, y))| same(x, y, client, &format!("{at}[{i}]"))),
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!(
            "{at} is {a} in the example but {b} after a round trip"
        )),
    }
}

fn check(example: &Example) -> Result<Value, String> {
    let kind = kind(&example.ty).ok_or_else(|| format!("no type {} is known", example.ty))?;
    let original: Value = serde_json::from_str(&example.json).map_err(|e| e.to_string())?;
    let again = (kind.parse)(&example.json)?;
    same(&original, &again, kind.client, "$")?;
    Ok(original)
}

#[test]
fn every_example_parses_into_its_type_and_round_trips() {
    let docs = docs();
    let examples = examples(&docs);
    assert!(
        examples.len() > 50,
        "only {} examples found",
        examples.len()
    );
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|e| {
            check(e)
                .err()
                .map(|why| format!("docs/protocol.md:{} ({}): {why}", e.line, e.ty))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The `"type"`s the docs show for values of `ty`, and (for frames) of the
/// `event` inside `event` frames.
fn shown(docs: &str, ty: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut types, mut events) = (BTreeSet::new(), BTreeSet::new());
    for example in examples(docs).iter().filter(|e| e.ty == ty) {
        let value: Value = serde_json::from_str(&example.json).expect("checked elsewhere");
        if let Some(t) = value["type"].as_str() {
            types.insert(t.to_owned());
        }
        if let Some(t) = value["event"]["type"].as_str() {
            events.insert(t.to_owned());
        }
    }
    (types, events)
}

fn missing(all: Vec<String>, shown: &BTreeSet<String>) -> Vec<String> {
    all.into_iter().filter(|v| !shown.contains(v)).collect()
}

#[test]
fn every_frame_and_event_type_has_an_example() {
    let docs = docs();
    let (commands, _) = shown(&docs, "AgentCommand");
    let (frames, events) = shown(&docs, "AgentFrame");
    let (visitor_commands, _) = shown(&docs, "VisitorCommand");
    let (visitor_frames, visitor_events) = shown(&docs, "VisitorFrame");
    let gaps = [
        (
            "AgentCommand",
            missing(variants::<AgentCommand>(), &commands),
        ),
        ("AgentFrame", missing(variants::<AgentFrame>(), &frames)),
        ("AgentEvent", missing(variants::<AgentEvent>(), &events)),
        (
            "VisitorCommand",
            missing(variants::<VisitorCommand>(), &visitor_commands),
        ),
        (
            "VisitorFrame",
            missing(variants::<VisitorFrame>(), &visitor_frames),
        ),
        (
            "VisitorEvent",
            missing(variants::<VisitorEvent>(), &visitor_events),
        ),
    ];
    let gaps: Vec<String> = gaps
        .into_iter()
        .filter(|(_, m)| !m.is_empty())
        .map(|(ty, m)| format!("{ty}: {}", m.join(", ")))
        .collect();
    assert!(
        gaps.is_empty(),
        "docs/protocol.md has no example of:\n{}",
        gaps.join("\n")
    );
}

#[test]
fn every_documented_type_has_an_example() {
    let docs = docs();
    let named: BTreeSet<String> = examples(&docs).into_iter().map(|e| e.ty).collect();
    for kind in common::KINDS {
        assert!(named.contains(kind.name), "no example of {}", kind.name);
    }
}

#[test]
fn every_error_code_is_in_the_table() {
    let all: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    assert_eq!(
        all,
        variants::<ErrorCode>(),
        "ErrorCode::ALL is not complete"
    );
    let docs = docs();
    for code in ErrorCode::ALL {
        let row = format!("| `{code}` | {} |", code.http_status());
        assert!(
            docs.contains(&row),
            "docs/protocol.md lacks the row {row:?}"
        );
    }
}

/// The variants of `pub enum NAME` in a Rust source file.
fn enum_variants(source: &str, name: &str) -> Vec<String> {
    let start = source
        .find(&format!("pub enum {name} {{"))
        .unwrap_or_else(|| panic!("no `pub enum {name}` found"));
    source[start..]
        .lines()
        .skip(1)
        .take_while(|line| *line != "}")
        .filter_map(|line| {
            let rest = line.strip_prefix("    ")?;
            let ident: String = rest
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            let first = ident.chars().next()?;
            first.is_ascii_uppercase().then_some(ident)
        })
        .collect()
}

/// The rows of the docs table whose header row is `header`, as (first cell,
/// first code span of the second cell).
fn table(docs: &str, header: &str) -> Vec<(String, String)> {
    docs.lines()
        .skip_while(|line| *line != header)
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .filter_map(|line| {
            let mut cells = line.split('|').skip(1);
            let name = cells.next()?.trim().trim_matches('`').to_owned();
            let wire = cells.next()?.split('`').nth(1)?.to_owned();
            Some((name, wire))
        })
        .collect()
}

/// Every variant of `pub enum NAME` in `file` must have a row in the docs
/// table under `header`, naming one of `allowed`.
fn assert_mapped(file: &str, name: &str, header: &str, allowed: &BTreeSet<String>) {
    let source = read(file);
    let rows = table(&docs(), header);
    assert!(!rows.is_empty(), "docs/protocol.md has no table {header:?}");
    let variants = enum_variants(&source, name);
    assert!(variants.len() > 3, "found only {variants:?} in {file}");
    for variant in variants {
        let wire = rows
            .iter()
            .find(|(row, _)| *row == variant)
            .map(|(_, wire)| wire)
            .unwrap_or_else(|| {
                panic!("docs/protocol.md does not map {name}::{variant} (from {file}); add a row under {header:?}")
            });
        assert!(
            allowed.contains(wire),
            "{name}::{variant} maps to {wire}, which is not on the wire"
        );
    }
}

fn codes() -> BTreeSet<String> {
    ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect()
}

#[test]
fn every_refusal_of_the_domain_maps_to_a_code() {
    let header = "| banner-core `Error` | code |";
    assert_mapped("crates/banner-core/src/error.rs", "Error", header, &codes());
}

#[test]
fn every_store_error_maps_to_a_code() {
    let header = "| banner-store `StoreError` | code |";
    assert_mapped(
        "crates/banner-store/src/error.rs",
        "StoreError",
        header,
        &codes(),
    );
}

#[test]
fn every_event_of_the_domain_reaches_the_wire() {
    let header = "| banner-core `Event` | on the wire |";
    let mut wire: BTreeSet<String> = variants::<AgentEvent>().into_iter().collect();
    wire.extend(variants::<AgentFrame>());
    assert_mapped("crates/banner-core/src/event.rs", "Event", header, &wire);
}

#[test]
fn the_limits_table_matches_the_constants() {
    let docs = docs();
    for (name, value) in [
        ("MAX_FRAME_BYTES", limits::MAX_FRAME_BYTES.to_string()),
        ("MAX_TEXT_CHARS", limits::MAX_TEXT_CHARS.to_string()),
        ("MAX_CLIENT_ID", format!("1 to {}", limits::MAX_CLIENT_ID)),
        ("MAX_ATTACHMENTS", limits::MAX_ATTACHMENTS.to_string()),
        ("MAX_RESUME", limits::MAX_RESUME.to_string()),
        ("MAX_UPLOAD_BYTES", limits::MAX_UPLOAD_BYTES.to_string()),
        ("MAX_FILENAME_CHARS", limits::MAX_FILENAME_CHARS.to_string()),
        ("MAX_EVENTS_PAGE", limits::MAX_EVENTS_PAGE.to_string()),
        ("MAX_HISTORY_HITS", limits::MAX_HISTORY_HITS.to_string()),
        ("HELLO_TIMEOUT_MS", limits::HELLO_TIMEOUT_MS.to_string()),
        (
            "TYPING_REPEAT_MS",
            format!("{} ms", limits::TYPING_REPEAT_MS),
        ),
        (
            "TYPING_EXPIRES_MS",
            format!("{} ms", limits::TYPING_EXPIRES_MS),
        ),
    ] {
        let row = docs
            .lines()
            .find(|line| line.starts_with('|') && line.contains(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("the limits table has no row for {name}"));
        assert!(
            row.contains(&value),
            "the row of {name} does not say {value}: {row}"
        );
    }
}
