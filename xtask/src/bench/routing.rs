//! Routing decisions/s and latency from banner-core's benchmark
//! (`cargo bench -p banner-core --bench routing`), read from the two summary
//! lines it prints after divan's table: the full floor, then the small floor
//! it compares with.

use std::process::{Command, Stdio};

use serde_json::Value;

use super::cargo;
use super::table::row;

pub fn run() -> Result<Vec<Value>, String> {
    let args = ["bench", "-p", "banner-core", "--bench", "routing"];
    println!("xtask: cargo {}", args.join(" "));
    let out = Command::new(cargo())
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    print!("{text}");
    if !out.status.success() {
        return Err(format!("the routing benchmark failed ({})", out.status));
    }
    parse(&text).ok_or_else(|| "the routing benchmark printed no summary".into())
}

/// `(decisions/s, p99 µs)` of a line `routing: N decisions/s (p50 X µs, p99 Y µs) …`.
fn figures_of(line: &str) -> Option<(f64, f64)> {
    let rest = line.strip_prefix("routing: ")?;
    let rest = rest.strip_prefix("baseline ").unwrap_or(rest);
    let per_sec = rest.split_whitespace().next()?.parse().ok()?;
    let p99 = rest
        .split("p99 ")
        .nth(1)?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some((per_sec, p99))
}

fn parse(text: &str) -> Option<Vec<Value>> {
    let full = text
        .lines()
        .find(|l| l.starts_with("routing: ") && !l.contains("baseline"))?;
    let small = text.lines().find(|l| l.starts_with("routing: baseline"))?;
    let (per_sec, p99) = figures_of(full)?;
    let (base_per_sec, base_p99) = figures_of(small)?;
    let note = "10,000 waiting chats, 1,000 agents; baseline: 100 waiting, 10 agents";
    Some(vec![
        row(
            "routing.decisions_per_sec",
            Some(per_sec),
            "decisions/s",
            Some(base_per_sec),
            note,
        ),
        row("routing.p99", Some(p99), "µs", Some(base_p99), note),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_summary_lines_become_figures() {
        let text = "routing: 450000 decisions/s (p50 1.2 µs, p99 4.5 µs) with 10000 waiting chats and 1000 agents: 4.50x the 100000/s target\n\
                    routing: baseline 900000 decisions/s (p50 0.8 µs, p99 2.0 µs) with 100 waiting chats and 10 agents: the full floor runs at 0.50x the baseline\n";
        let got = parse(text).expect("figures");
        assert_eq!(got[0]["value"], 450000.0);
        assert_eq!(got[0]["ratio"], 0.5);
        assert_eq!(got[1]["value"], 4.5);
        assert!(parse("nothing").is_none());
    }
}
