//! Stubs are made from the reference solutions, never written by hand.
//!
//! A solution marks what the learner writes:
//!
//! ```text
//! pub fn predict(w: f64, b: f64, x: f64) -> f64 {
//!     // BEGIN SOLUTION: return w·x + b
//!     w * x + b
//!     // END SOLUTION
//! }
//! ```
//!
//! In the stub, a region whose `BEGIN SOLUTION` line carries a message becomes
//! a call of the `todo` macro with that message, at the same indentation; a region without a message
//! (a private helper, a `use` the solution needs) is left out. Everything
//! else — signatures, doc comments, types, book anchors — is the same file,
//! so exercise and solution can never drift apart.

use thiserror::Error;

pub const BEGIN: &str = "// BEGIN SOLUTION";
/// The macro a stub calls where the learner's code goes (spelled in two
/// pieces so that a search for unfinished code finds the stubs, not this).
pub const TODO: &str = concat!("todo", "!");
/// What a test says when it meets a stub's unfinished function (see
/// `support::call`): it names the macro as `TODO()`.
pub fn todo_call() -> String {
    format!("{TODO}()")
}
pub const END: &str = "// END SOLUTION";

#[derive(Debug, Error, PartialEq, Eq)]
pub enum StubError {
    #[error(
        "line {line}: `{BEGIN}` inside another solution region that began on line {open}; close it with `{END}` first"
    )]
    Nested { line: usize, open: usize },
    #[error("line {line}: `{END}` without a `{BEGIN}` before it")]
    UnexpectedEnd { line: usize },
    #[error("line {line}: the solution region that begins here is never closed with `{END}`")]
    Unclosed { line: usize },
    #[error("the file has no `{BEGIN}` region, so its stub would be the solution itself")]
    NoRegion,
}

/// Makes the learner's stub from a solution file's text, with the
/// solution's line ends.
pub fn make_stub(solution: &str) -> Result<String, StubError> {
    let eol = crate::util::eol::of(solution);
    let mut out = String::with_capacity(solution.len());
    let mut open: Option<usize> = None;
    let mut regions = 0;
    for (i, line) in solution.split_inclusive('\n').enumerate() {
        let number = i + 1;
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(BEGIN) {
            if let Some(first) = open {
                return Err(StubError::Nested { line: number, open: first });
            }
            open = Some(number);
            regions += 1;
            let message = rest.trim_start_matches(':').trim();
            if !message.is_empty() {
                let indent = &line[..line.len() - trimmed.len()];
                out.push_str(&todo_statement(indent, message, eol));
            }
        } else if trimmed.starts_with(END) {
            if open.take().is_none() {
                return Err(StubError::UnexpectedEnd { line: number });
            }
        } else if open.is_none() {
            out.push_str(line);
        }
    }
    if let Some(line) = open {
        return Err(StubError::Unclosed { line });
    }
    if regions == 0 {
        return Err(StubError::NoRegion);
    }
    Ok(out)
}

/// The widest line rustfmt writes (`max_width` in `rustfmt.toml`).
const MAX_WIDTH: usize = 100;

/// The `todo` call that stands for a solution region, laid out as rustfmt
/// lays it out, so that a learner's `cargo fmt` leaves a fresh stub alone: on
/// one line when it fits, else with the message on a line of its own. Lines
/// end with `eol`.
fn todo_statement(indent: &str, message: &str, eol: &str) -> String {
    let escaped = message.replace('\\', "\\\\").replace('"', "\\\"");
    let one_line = format!("{indent}{TODO}(\"{escaped}\")");
    if one_line.chars().count() <= MAX_WIDTH {
        format!("{one_line}{eol}")
    } else {
        format!("{indent}{TODO}({eol}{indent}    \"{escaped}\"{eol}{indent}){eol}")
    }
}

/// Whether a solution file takes part in stub making (files without regions
/// are copied to the exercise unchanged).
pub fn has_regions(solution: &str) -> bool {
    solution.lines().any(|l| l.trim_start().starts_with(BEGIN))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_with_a_message_becomes_a_todo() {
        let solution = "fn f() -> u8 {\n    // BEGIN SOLUTION: return \"one\"\n    1\n    // END SOLUTION\n}\n";
        assert_eq!(
            make_stub(solution).unwrap(),
            format!("fn f() -> u8 {{\n    {TODO}(\"return \\\"one\\\"\")\n}}\n")
        );
    }

    #[test]
    fn a_long_message_goes_on_a_line_of_its_own_as_rustfmt_puts_it() {
        let message = "m".repeat(90);
        let solution = format!(
            "fn f() {{\n    // BEGIN SOLUTION: {message}\n    1\n    // END SOLUTION\n}}\n"
        );
        let expected = format!("fn f() {{\n    {TODO}(\n        \"{message}\"\n    )\n}}\n");
        assert_eq!(make_stub(&solution).unwrap(), expected);
    }

    #[test]
    fn a_region_without_a_message_is_left_out() {
        let solution = "a\n// BEGIN SOLUTION\nfn helper() {}\n// END SOLUTION\nb\n";
        assert_eq!(make_stub(solution).unwrap(), "a\nb\n");
    }

    #[test]
    fn a_crlf_solution_gives_a_crlf_stub() {
        let lf = format!(
            "fn f() {{\n    // BEGIN SOLUTION: {}\n    1\n    // END SOLUTION\n}}\n",
            "m".repeat(90)
        );
        let crlf = lf.replace('\n', "\r\n");
        let stub = make_stub(&crlf).unwrap();
        assert_eq!(stub, make_stub(&lf).unwrap().replace('\n', "\r\n"));
        assert!(!stub.replace("\r\n", "").contains('\n'), "no bare \\n: {stub:?}");
    }

    #[test]
    fn broken_markers_are_errors_with_line_numbers() {
        assert_eq!(
            make_stub("// BEGIN SOLUTION\n// BEGIN SOLUTION\n"),
            Err(StubError::Nested { line: 2, open: 1 })
        );
        assert_eq!(make_stub("x\n// END SOLUTION\n"), Err(StubError::UnexpectedEnd { line: 2 }));
        assert_eq!(make_stub("// BEGIN SOLUTION\n"), Err(StubError::Unclosed { line: 1 }));
        assert_eq!(make_stub("fn f() {}\n"), Err(StubError::NoRegion));
    }
}
