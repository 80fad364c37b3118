//! What the black-box tests share: the JSON examples of `docs/protocol.md`, the
//! types their code fences name, and serde's own list of a tagged enum's types.

// Each test binary uses a part of this module.
#![allow(dead_code)]

use std::fmt::Debug;
use std::path::PathBuf;

use banner_proto::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A file of the workspace, by its path from the workspace root.
pub fn workspace_file(relative: &str) -> PathBuf {
    // The crate's directory as cargo gives it to this run: the one compiled
    // in names the clone the binary was built in, which a target directory
    // shared between clones can leave pointing at another clone.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
        .join("../..")
        .join(relative)
}

/// The text of a workspace file.
pub fn read(relative: &str) -> String {
    let path = workspace_file(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The protocol reference.
pub fn docs() -> String {
    read("docs/protocol.md")
}

/// One ```` ```json Type ```` block of the docs.
#[derive(Debug)]
pub struct Example {
    /// The line of its opening fence (1-based), for messages.
    pub line: usize,
    /// The type its fence names.
    pub ty: String,
    /// The JSON text.
    pub json: String,
}

/// Every `json` code block of `docs`. A block that names no type is an error:
/// every JSON example must be checked.
pub fn examples(docs: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut open: Option<Example> = None;
    for (i, line) in docs.lines().enumerate() {
        let fence = line.trim();
        if let Some(example) = open.as_mut() {
            if fence == "```" {
                out.extend(open.take());
            } else {
                example.json.push_str(line);
                example.json.push('\n');
            }
            continue;
        }
        if let Some(info) = fence.strip_prefix("```json") {
            let ty = info.trim();
            assert!(
                !ty.is_empty(),
                "docs/protocol.md:{}: a json block must name its type, e.g. ```json AgentFrame",
                i + 1
            );
            open = Some(Example {
                line: i + 1,
                ty: ty.to_owned(),
                json: String::new(),
            });
        }
    }
    assert!(
        open.is_none(),
        "docs/protocol.md: a json block is not closed"
    );
    out
}

/// Parses JSON into a type, checks the round trip, returns it serialized again.
pub type Parse = fn(&str) -> Result<Value, String>;

/// A type an example may name.
pub struct Kind {
    /// The name in the fence.
    pub name: &'static str,
    /// Sent by clients: refuses unknown fields, and optional fields may be left out.
    pub client: bool,
    /// Parses into the type, checks the value survives a round trip, and
    /// returns it serialized again.
    pub parse: Parse,
}

fn round_trip<T>(json: &str) -> Result<Value, String>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let value: T = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let again = serde_json::to_value(&value).map_err(|e| e.to_string())?;
    let back: T = serde_json::from_value(again.clone()).map_err(|e| e.to_string())?;
    if back != value {
        return Err(format!("{value:?} came back as {back:?}"));
    }
    Ok(again)
}

/// Every type the docs show an example of.
pub const KINDS: &[Kind] = &[
    Kind {
        name: "AgentCommand",
        client: true,
        parse: round_trip::<AgentCommand>,
    },
    Kind {
        name: "VisitorCommand",
        client: true,
        parse: round_trip::<VisitorCommand>,
    },
    Kind {
        name: "LoginRequest",
        client: true,
        parse: round_trip::<LoginRequest>,
    },
    Kind {
        name: "VisitorSessionRequest",
        client: true,
        parse: round_trip::<VisitorSessionRequest>,
    },
    Kind {
        name: "AgentFrame",
        client: false,
        parse: round_trip::<AgentFrame>,
    },
    Kind {
        name: "VisitorFrame",
        client: false,
        parse: round_trip::<VisitorFrame>,
    },
    Kind {
        name: "ErrorBody",
        client: false,
        parse: round_trip::<ErrorBody>,
    },
    Kind {
        name: "Health",
        client: false,
        parse: round_trip::<Health>,
    },
    Kind {
        name: "LoginResponse",
        client: false,
        parse: round_trip::<LoginResponse>,
    },
    Kind {
        name: "Pool",
        client: false,
        parse: round_trip::<Pool>,
    },
    Kind {
        name: "Directory",
        client: false,
        parse: round_trip::<Directory>,
    },
    Kind {
        name: "ConversationDetails",
        client: false,
        parse: round_trip::<ConversationDetails>,
    },
    Kind {
        name: "EventPage<AgentEvent>",
        client: false,
        parse: round_trip::<EventPage<AgentEvent>>,
    },
    Kind {
        name: "EventPage<VisitorEvent>",
        client: false,
        parse: round_trip::<EventPage<VisitorEvent>>,
    },
    Kind {
        name: "HistoryPage",
        client: false,
        parse: round_trip::<HistoryPage>,
    },
    Kind {
        name: "Uploaded",
        client: false,
        parse: round_trip::<Uploaded>,
    },
    Kind {
        name: "Supervision",
        client: false,
        parse: round_trip::<Supervision>,
    },
    Kind {
        name: "VisitorSessionResponse",
        client: false,
        parse: round_trip::<VisitorSessionResponse>,
    },
];

/// The kind named `name`.
pub fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// The `"type"` values of a tagged enum (or the spellings of a string enum),
/// as serde lists them when refusing an unknown one — the derive's own list,
/// so a new variant shows up here by itself.
pub fn variants<T: DeserializeOwned + Debug>() -> Vec<String> {
    const PROBE: &str = "zz_no_such_variant";
    let tagged = serde_json::json!({ "type": PROBE });
    let message = match serde_json::from_value::<T>(tagged) {
        Err(e) if e.to_string().contains("unknown variant") => e.to_string(),
        _ => serde_json::from_value::<T>(Value::String(PROBE.into()))
            .expect_err("no type is called zz_no_such_variant")
            .to_string(),
    };
    let expected = message
        .split_once("expected")
        .unwrap_or_else(|| panic!("unexpected serde message: {message}"))
        .1;
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}
