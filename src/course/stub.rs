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

use std::collections::BTreeSet;

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

/// The solution with only some regions made into `todo` calls: those in a
/// function that `undone` picks, by the name [`region_owners`] gives it
/// (`Type::name` inside an `impl` block, else `name`). Every other region
/// keeps the solution's code. Returns the text and the functions whose
/// regions were left undone.
///
/// This is how the course checks its core path: the solution with every
/// deeper part's functions undone must pass every core test.
pub fn stub_functions(
    solution: &str,
    undone: &dyn Fn(&str) -> bool,
) -> Result<(String, BTreeSet<String>), StubError> {
    let owners = region_owners(solution)?;
    let eol = crate::util::eol::of(solution);
    let mut out = String::with_capacity(solution.len());
    let mut stubbed = BTreeSet::new();
    let mut region = 0;
    let mut skipping = false;
    for line in solution.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(BEGIN) {
            let message = rest.trim_start_matches(':').trim();
            let owner = owners[region].as_deref();
            region += 1;
            if let Some(owner) = owner.filter(|o| !message.is_empty() && undone(o)) {
                let indent = &line[..line.len() - trimmed.len()];
                out.push_str(&todo_statement(indent, message, eol));
                stubbed.insert(owner.to_string());
                skipping = true;
            }
        } else if trimmed.starts_with(END) {
            skipping = false;
        } else if !skipping {
            out.push_str(line);
        }
    }
    Ok((out, stubbed))
}

/// The function each solution region is in, in the order of the regions:
/// `Type::name` for a method (the type of the `impl` block, trait impls
/// included), `name` for a free function, `None` for a region outside any
/// function.
pub fn region_owners(solution: &str) -> Result<Vec<Option<String>>, StubError> {
    make_stub(solution)?;
    let mut owners = Vec::new();
    let mut impl_type: Option<String> = None;
    let mut function: Option<String> = None;
    for line in solution.lines() {
        let trimmed = line.trim_start();
        let top_level = trimmed.len() == line.len();
        if trimmed.starts_with(BEGIN) {
            owners.push(function.as_ref().map(|f| match &impl_type {
                Some(t) => format!("{t}::{f}"),
                None => f.clone(),
            }));
        } else if top_level && trimmed.starts_with('}') {
            impl_type = None;
            function = None;
        } else if top_level && trimmed.starts_with("impl") {
            impl_type = impl_target(trimmed);
            function = None;
        } else if let Some(name) = function_name(trimmed) {
            if top_level {
                impl_type = None;
            }
            function = Some(name);
        }
    }
    Ok(owners)
}

/// The type an `impl` line is for: `Sgd` in `impl Optimizer for Sgd {`.
fn impl_target(line: &str) -> Option<String> {
    let mut rest = line.strip_prefix("impl")?;
    if let Some(generics) = rest.strip_prefix('<') {
        rest = &generics[generics.find('>')? + 1..];
    }
    let rest = rest.rsplit(" for ").next()?.trim_start();
    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (!name.is_empty()).then_some(name)
}

/// The name a line declares a function of, if it does: `step` in
/// `pub fn step(&mut self) {`.
fn function_name(line: &str) -> Option<String> {
    let at = line.find("fn ")?;
    let before = &line[..at];
    let words_before_are_modifiers = before.split_whitespace().all(|w| {
        ["pub", "pub(crate)", "pub(super)", "const", "unsafe", "async", "extern"].contains(&w)
    });
    if !words_before_are_modifiers || line.starts_with("//") {
        return None;
    }
    let name: String =
        line[at + 3..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (!name.is_empty()).then_some(name)
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

    const TWO_IMPLS: &str = "pub fn free() -> u8 {\n    // BEGIN SOLUTION: one\n    1\n    // END SOLUTION\n}\n\nimpl Optimizer for Sgd {\n    fn step(&mut self) -> u8 {\n        // BEGIN SOLUTION: two\n        2\n        // END SOLUTION\n    }\n}\n\nimpl<T: Copy> Adam<T> {\n    pub fn step(&mut self) -> u8 {\n        // BEGIN SOLUTION: three\n        3\n        // END SOLUTION\n    }\n}\n\n// BEGIN SOLUTION\nfn helper() {}\n// END SOLUTION\n";

    #[test]
    fn a_region_is_named_by_its_function_and_impl_type() {
        let owners = region_owners(TWO_IMPLS).unwrap();
        let owners: Vec<Option<&str>> = owners.iter().map(|o| o.as_deref()).collect();
        assert_eq!(owners, [Some("free"), Some("Sgd::step"), Some("Adam::step"), None]);
    }

    #[test]
    fn only_the_picked_functions_become_todos() {
        let (text, stubbed) = stub_functions(TWO_IMPLS, &|f| f == "Adam::step").unwrap();
        assert!(text.contains("    1\n") && text.contains("        2\n"), "{text}");
        assert!(text.contains(&format!("{TODO}(\"three\")")), "{text}");
        assert!(!text.contains("        3\n") && text.contains("fn helper() {}"), "{text}");
        assert!(!text.contains(BEGIN) && !text.contains(END), "{text}");
        assert_eq!(stubbed.into_iter().collect::<Vec<_>>(), ["Adam::step"]);
    }

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
