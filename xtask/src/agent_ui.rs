//! The agent UI's part of `cargo xtask test`, in `ui/`: its component tests
//! (vitest, over the mock backend), whose counts join the closing total; and
//! the UI builds the desktop app embeds. Its type check and linter are
//! `widget`'s steps.

use crate::Tally;
use crate::npm;

/// Builds what the desktop app embeds at compile time (`tauri::generate_context!`
/// reads `ui/dist/banner`, and the bundle takes `ui/dist/widget`), before
/// clippy and the tests compile `src-tauri`: always, so the app under test
/// never carries a stale UI (both builds take seconds).
pub fn build_for_desktop() -> Result<(), String> {
    let ui = npm::installed_ui()?;
    npm::run(&ui, &["run", "--silent", "build"])?;
    npm::run(&ui, &["run", "--silent", "build:banner"])
}

pub fn test(total: &mut Tally) -> Result<(), String> {
    npm::counted_steps(total, |total| {
        let ui = npm::installed_ui()?;
        npm::run_counted(
            &ui,
            &["run", "--silent", "test:banner"],
            total,
            add_vitest_line,
        )
    })
}

/// Adds vitest's summary line: `Tests  2 failed | 18 passed | 1 skipped (21)`.
fn add_vitest_line(total: &mut Tally, line: &str) {
    let Some(rest) = line.trim().strip_prefix("Tests ") else {
        return;
    };
    let counts = rest.split('(').next().unwrap_or_default();
    for part in counts.split('|') {
        let mut words = part.split_whitespace();
        let (Some(count), Some(label)) = (words.next(), words.next()) else {
            continue;
        };
        let Ok(n) = count.parse::<u64>() else {
            continue;
        };
        match label {
            "passed" => total.passed += n,
            "failed" => total.failed += n,
            "skipped" | "todo" => total.skipped += n,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vitest_summary_lines_are_counted_and_other_lines_are_not() {
        let mut total = Tally::default();
        for line in [
            "      Tests  2 failed | 18 passed | 1 skipped (21)",
            " Test Files  1 failed | 3 passed (4)",
            "   ✓ Tests of the pool 3 passed",
            "      Tests  4 passed (4)",
        ] {
            add_vitest_line(&mut total, line);
        }
        assert_eq!((total.passed, total.failed, total.skipped), (22, 2, 1));
    }
}
