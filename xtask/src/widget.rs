//! The browser part of `cargo xtask test`, in `ui/`: the type check and the
//! linter, then node's test runner (budgets and browser tests, which load the
//! widget's and the agents' web app's builds from the server; `test` built
//! both first, see `agent_ui::build_for_desktop`),
//! whose counts join the closing total (see `npm`).

use crate::Tally;
use crate::npm;

pub fn test(total: &mut Tally) -> Result<(), String> {
    npm::counted_steps(total, |total| {
        let ui = npm::installed_ui()?;
        for script in ["typecheck", "lint"] {
            npm::run(&ui, &["run", "--silent", script])?;
        }
        npm::run_counted(&ui, &["test", "--silent"], total, add_node_line)
    })
}

/// Adds a summary line of node's spec reporter: `ℹ pass 19`, `ℹ fail 0`,
/// `ℹ skipped 2`, `ℹ cancelled 0`, `ℹ todo 0`.
fn add_node_line(total: &mut Tally, line: &str) {
    let Some(rest) = line.trim().strip_prefix('ℹ') else {
        return;
    };
    let mut words = rest.split_whitespace();
    let (Some(label), Some(count), None) = (words.next(), words.next(), words.next()) else {
        return;
    };
    let Ok(n) = count.parse::<u64>() else {
        return;
    };
    match label {
        "pass" => total.passed += n,
        "fail" | "cancelled" => total.failed += n,
        "skipped" | "todo" => total.skipped += n,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_summary_lines_are_counted_and_other_lines_are_not() {
        let mut total = Tally::default();
        for line in [
            "ℹ tests 21",
            "ℹ pass 18",
            "ℹ fail 1",
            "ℹ cancelled 1",
            "ℹ skipped 2",
            "ℹ todo 0",
            "ℹ widget.js 1898 B gzipped (limit 3072)",
            "ℹ pass rate 3",
            "✔ pass 4 (2.1ms)",
        ] {
            add_node_line(&mut total, line);
        }
        assert_eq!((total.passed, total.failed, total.skipped), (18, 2, 2));
    }
}
