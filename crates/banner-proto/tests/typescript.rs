//! The committed TypeScript in `ui/src/protocol/` is exactly what the Rust types
//! generate. Run with `BANNER_UPDATE_PROTOCOL=1` to rewrite it instead.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use banner_proto::typescript::{self, OUT_DIR, UPDATE_COMMAND};
use common::{read, workspace_file};

fn generated() -> BTreeMap<String, String> {
    typescript::files().unwrap_or_else(|e| panic!("cannot generate the TypeScript: {e}"))
}

fn write_all(dir: &Path, files: &BTreeMap<String, String>) {
    std::fs::create_dir_all(dir).expect("create the output directory");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write a generated file");
    }
}

/// The `.ts` files of `dir` (none if it does not exist).
fn ts_files(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ts"))
        .map(|path| {
            let name = path
                .file_name()
                .expect("a file name")
                .to_string_lossy()
                .into();
            (
                name,
                std::fs::read_to_string(&path).expect("a readable file"),
            )
        })
        .collect()
}

/// How `committed` differs from `wanted`, one line per file.
fn differences(
    wanted: &BTreeMap<String, String>,
    committed: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (name, text) in wanted {
        match committed.get(name) {
            None => out.push(format!("missing: {name}")),
            Some(old) if old != text => {
                let line = text
                    .lines()
                    .zip(old.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| text.lines().count().min(old.lines().count()));
                out.push(format!("differs: {name} (from line {})", line + 1));
            }
            Some(_) => {}
        }
    }
    for name in committed.keys().filter(|name| !wanted.contains_key(*name)) {
        out.push(format!("not generated any more: {name}"));
    }
    out
}

#[test]
fn committed_typescript_matches_the_rust_types() {
    let wanted = generated();
    let committed_dir = workspace_file(OUT_DIR);
    if std::env::var("BANNER_UPDATE_PROTOCOL").as_deref() == Ok("1") {
        for stale in ts_files(&committed_dir)
            .keys()
            .filter(|n| !wanted.contains_key(*n))
        {
            std::fs::remove_file(committed_dir.join(stale)).expect("remove a stale file");
        }
        write_all(&committed_dir, &wanted);
        eprintln!("wrote {} files to {OUT_DIR}", wanted.len());
        return;
    }
    // Generate into a fresh directory, as the update would, and compare the trees.
    let fresh = tempfile::tempdir().expect("a temporary directory");
    write_all(fresh.path(), &wanted);
    let differences = differences(&ts_files(fresh.path()), &ts_files(&committed_dir));
    assert!(
        differences.is_empty(),
        "{OUT_DIR} is out of date with the Rust types of banner-proto:\n  {}\n\
         Regenerate it from the workspace root with:\n  {UPDATE_COMMAND}\n\
         and commit the result with the change to banner-proto.",
        differences.join("\n  ")
    );
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(generated(), generated());
}

#[test]
fn every_constant_reaches_the_ui() {
    let constants = &generated()["constants.ts"];
    for file in [
        "crates/banner-proto/src/limits.rs",
        "crates/banner-proto/src/close.rs",
    ] {
        for line in read(file).lines() {
            if let Some(rest) = line.strip_prefix("pub const ") {
                let name = rest.split(':').next().expect("a name");
                assert!(
                    constants.contains(&format!("{name}:"))
                        || constants.contains(&format!(" {name} =")),
                    "{name} from {file} is missing from constants.ts"
                );
            }
        }
    }
}

#[test]
fn every_wire_type_is_exported_once_under_its_own_name() {
    let files = generated();
    for type_name in [
        "AgentCommand",
        "AgentFrame",
        "AgentEvent",
        "VisitorCommand",
        "VisitorFrame",
        "VisitorEvent",
        "ErrorCode",
        "Logged",
        "EventPage",
    ] {
        let text = files
            .get(&format!("{type_name}.ts"))
            .unwrap_or_else(|| panic!("{type_name}.ts is not generated"));
        assert!(
            text.contains(&format!("export type {type_name}")),
            "{type_name}.ts"
        );
        let index = &files["index.ts"];
        assert!(index.contains(&format!(
            "export type {{ {type_name} }} from \"./{type_name}\";"
        )));
    }
    // The visitor's types cannot even name a private message.
    assert!(!files["VisitorEvent.ts"].contains("private"));
    assert!(!files["VisitorAuthor.ts"].contains("AgentId"));
}
