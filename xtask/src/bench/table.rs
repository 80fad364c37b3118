//! The figures as a table on stdout and as `results.json`.

use std::path::Path;

use serde_json::{Value, json};

/// A figure as `results.json` holds it; the ratio is computed here.
pub fn row(name: &str, value: Option<f64>, unit: &str, baseline: Option<f64>, note: &str) -> Value {
    let ratio = match (value, baseline) {
        (Some(v), Some(b)) if b != 0.0 => Some(v / b),
        _ => None,
    };
    json!({"name": name, "value": value, "unit": unit, "baseline": baseline, "ratio": ratio, "note": note})
}

/// The row of a suite that produced nothing.
pub fn not_measured(suite: &str, why: &str) -> Value {
    row(suite, None, "", None, why)
}

fn number(v: &Value) -> String {
    match v.as_f64() {
        None => "-".into(),
        Some(x) if x.abs() >= 100.0 => format!("{x:.0}"),
        Some(x) if x.abs() >= 10.0 => format!("{x:.1}"),
        Some(x) => format!("{x:.2}"),
    }
}

/// Prints one line per figure: name, value, unit, baseline, ratio, note.
#[allow(clippy::print_stdout)]
pub fn print(figures: &[Value]) {
    let width = figures
        .iter()
        .filter_map(|f| f["name"].as_str())
        .map(str::len)
        .max()
        .unwrap_or(4);
    println!();
    println!(
        "{:width$}  {:>10} {:<11} {:>10} {:>7}  note",
        "figure", "value", "unit", "baseline", "ratio"
    );
    for f in figures {
        let value = if f["value"].is_null() {
            "not measured".to_owned()
        } else {
            number(&f["value"])
        };
        println!(
            "{:width$}  {:>10} {:<11} {:>10} {:>7}  {}",
            f["name"].as_str().unwrap_or("?"),
            value,
            f["unit"].as_str().unwrap_or(""),
            number(&f["baseline"]),
            number(&f["ratio"]),
            f["note"].as_str().unwrap_or(""),
        );
    }
    println!();
}

/// Writes the figures as a JSON array.
pub fn write(path: &Path, figures: &[Value]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(figures).map_err(|e| e.to_string())?;
    std::fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_has_its_ratio_and_a_missing_figure_has_none() {
        let r = row(
            "load.messages_per_sec",
            Some(3000.0),
            "msg/s",
            Some(6000.0),
            "",
        );
        assert_eq!(r["ratio"], json!(0.5));
        let none = row("desktop.cold_start", None, "ms", Some(1000.0), "not built");
        assert!(none["ratio"].is_null() && none["value"].is_null());
    }
}
