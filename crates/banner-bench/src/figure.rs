//! One measured figure: a name, its value and unit, the baseline measured in
//! the same run and their ratio. The binary prints each as a line
//! `FIGURE {json}` on stdout; xtask collects them into the table and
//! `target/bench/results.json`.

use serde::{Deserialize, Serialize};

/// The prefix of a figure's line on stdout.
pub const PREFIX: &str = "FIGURE ";

/// A figure, or an honest "not measured" (`value: None`, with a note).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// What was measured, e.g. `load.messages_per_sec`.
    pub name: String,
    /// The figure; `None`: not measured (the note says why).
    pub value: Option<f64>,
    /// Its unit, e.g. `msg/s`.
    pub unit: String,
    /// The same measure of the baseline in the same run.
    pub baseline: Option<f64>,
    /// `value / baseline`.
    pub ratio: Option<f64>,
    /// What the baseline is, the target, or why nothing was measured.
    pub note: String,
}

impl Figure {
    /// A figure without a baseline.
    pub fn new(name: &str, value: f64, unit: &str) -> Self {
        Figure {
            name: name.to_owned(),
            value: Some(value),
            unit: unit.to_owned(),
            baseline: None,
            ratio: None,
            note: String::new(),
        }
    }

    /// A row that says why there is no figure.
    pub fn not_measured(name: &str, unit: &str, why: &str) -> Self {
        Figure {
            value: None,
            note: why.to_owned(),
            ..Figure::new(name, 0.0, unit)
        }
    }

    /// Sets the baseline, and the ratio when both are non-zero.
    pub fn baseline(mut self, baseline: f64) -> Self {
        self.baseline = Some(baseline);
        self.ratio = self.value.filter(|_| baseline != 0.0).map(|v| v / baseline);
        self
    }

    /// Adds a note (the baseline's name, the target).
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    /// The figure's line for xtask.
    pub fn line(&self) -> String {
        format!(
            "{PREFIX}{}",
            serde_json::to_string(self).unwrap_or_default()
        )
    }

    /// Reads a line printed by [`Figure::line`]; `None` for any other line.
    pub fn parse(line: &str) -> Option<Self> {
        serde_json::from_str(line.strip_prefix(PREFIX)?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_survives_its_line_and_other_lines_are_not_figures() {
        let f = Figure::new("load.messages_per_sec", 5000.0, "msg/s")
            .baseline(10000.0)
            .note("bare relay");
        assert_eq!(f.ratio, Some(0.5));
        assert_eq!(Figure::parse(&f.line()), Some(f));
        assert_eq!(Figure::parse("load: 5000 msg/s"), None);
        let none = Figure::not_measured("desktop.cold_start", "ms", "not built");
        assert_eq!(none.baseline(1.0).ratio, None);
    }
}
