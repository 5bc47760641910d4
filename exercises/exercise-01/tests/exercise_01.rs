//! The tests of exercise 01, "Generating data".
//!
//! Run them with `cargo test -p exercise-01`. Each failure names the call,
//! what came back, what was expected, and the section of chapter 1 to read.
//! The tests come in three kinds:
//!
//! - known values, from the workshop's sources and from hand calculation;
//! - properties (proptest) that must hold for any seed and size, and checks
//!   that your functions agree with the course's reference solution;
//! - snapshots (insta) of the data at seed 100, in `tests/snapshots/`.
//!
//! You never need to edit this file.

use std::fmt::Display;
use std::path::{Path, PathBuf};

use support::Tolerance;

#[path = "exercise_01/recipes.rs"]
mod recipes;

#[path = "exercise_01/generate.rs"]
mod generate;

#[path = "exercise_01/split.rs"]
mod split;

#[path = "exercise_01/plot.rs"]
mod plot;

#[path = "exercise_01/load.rs"]
mod load;

#[path = "exercise_01/properties.rs"]
mod properties;

#[path = "exercise_01/snapshots.rs"]
mod snapshots;

/// How close two generated numbers must be. Following the doc comments gives
/// the very same bits; this leaves room only for a different but equivalent
/// order of arithmetic.
pub const SAME_NUMBER: Tolerance = Tolerance::Relative(1e-12);

/// The course's failure message as text, for property tests (which report
/// a failure by returning it, not by panicking).
pub fn report(call: &str, got: impl Display, expected: impl Display, hint: &str) -> String {
    format!("\n{call}\n  returned: {got}\n  expected: {expected}\n  hint:     {hint}\n")
}

/// Compares two lists of numbers and describes the first difference: a
/// different length, or the first position where the values differ.
pub fn compare_values(
    call: &str,
    what: &str,
    got: &[f64],
    expected: &[f64],
    hint: &str,
) -> Result<(), String> {
    if got.len() != expected.len() {
        return Err(report(
            call,
            format!("{} values in {what}", got.len()),
            format!("{} values", expected.len()),
            hint,
        ));
    }
    for (i, (&g, &e)) in got.iter().zip(expected).enumerate() {
        if !SAME_NUMBER.accepts(g, e) {
            return Err(report(
                call,
                format!("{what}[{i}] = {g:?} (the first value that differs)"),
                format!("{what}[{i}] = {e:?} ({SAME_NUMBER})"),
                hint,
            ));
        }
    }
    Ok(())
}

/// [`compare_values`] that fails the test at once.
#[track_caller]
pub fn check_values(call: &str, what: &str, got: &[f64], expected: &[f64], hint: &str) {
    if let Err(message) = compare_values(call, what, got, expected, hint) {
        panic!("{message}");
    }
}

/// A file of the exercise's `data/` folder.
pub fn data_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(name)
}

/// A file of the tests' `fixtures/` folder.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(name)
}

/// A scratch path for files the tests write, under cargo's target folder
/// (a folder per test process, so that runs side by side do not collide).
pub fn scratch(name: &str) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("exercise-01-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("cargo's scratch folder can be created");
    dir.join(name)
}

/// A small data set whose rows can be told apart: x = 0, 1, …, n − 1 and
/// y = −x, so every row is (i, −i).
pub fn numbered_rows(n: usize) -> exercise_01::Dataset {
    exercise_01::Dataset {
        x: (0..n).map(|i| i as f64).collect(),
        y: (0..n).map(|i| -(i as f64)).collect(),
    }
}
