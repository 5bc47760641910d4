//! What several commands print the same way.

use anstream::{eprint, eprintln, println};
use owo_colors::OwoColorize;
use serde::Serialize;
use workbook::course::manifest::short_name;
use workbook::engine::{Outcome, Report, TestResult};

/// A status line on standard error, rewritten in place; only on a terminal.
pub fn status_line(text: &str) {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K{text}");
    }
}

/// A warning on standard error, if there is one.
pub fn warn(warning: Option<String>) {
    if let Some(w) = warning {
        eprintln!("{} {w}", "warning:".yellow().bold());
    }
}

/// Prints `value` as pretty JSON.
pub fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// A failing test's name and message, indented.
pub fn show_failure(t: &TestResult) {
    println!("\nThe first test that does not pass yet is {}:", short_name(&t.name).bold());
    for line in t.message.lines() {
        println!("    {line}");
    }
}

/// The compiler's first 40 lines of errors, indented.
pub fn show_build_error(report: &Report) {
    if let Outcome::BuildFailed { diagnostics } = &report.outcome {
        println!("\nYour code does not compile yet. The compiler says:\n");
        for line in diagnostics.lines().take(40) {
            println!("    {line}");
        }
    }
}
