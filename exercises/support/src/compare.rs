//! Whether a computed number is the expected one, up to rounding.
//!
//! Two correct programs that add the same numbers in a different order
//! differ in the last bits, so the tests never compare results with `==`:
//! they ask whether a result is [`close`] to the expected one, within
//! [`ROUNDING`]. The tests also use these comparisons to recognise a known
//! wrong answer and pick its hint.
//!
//! [`close`] and [`same_numbers`] are what most tests use. Their
//! `_or_both_nan` versions also count NaN as close to NaN, for the tests of
//! training runs (exercises 04 and 05): a run that diverges can end on a NaN
//! loss, the expected run as well as the learner's.

use crate::check::Tolerance;

/// Close enough for numbers computed in a different but correct order: nine
/// significant digits (relative for large numbers, absolute near zero; see
/// [`Tolerance::Relative`]).
pub const ROUNDING: Tolerance = Tolerance::Relative(1e-9);

/// Whether `got` is within [`ROUNDING`] of `expected`. An infinity is close
/// only to the same infinity, and NaN is close to nothing, not even NaN.
///
/// Unlike [`Tolerance::accepts`], which a relative tolerance makes accept any
/// number when `expected` is infinite, a finite `got` is never close to an
/// infinite `expected`.
pub fn close(got: f64, expected: f64) -> bool {
    if got.is_infinite() || expected.is_infinite() {
        return got == expected;
    }
    ROUNDING.accepts(got, expected)
}

/// Like [`close`], but NaN is close to NaN.
pub fn close_or_both_nan(got: f64, expected: f64) -> bool {
    if got.is_nan() && expected.is_nan() {
        return true;
    }
    close(got, expected)
}

/// Whether two lists of numbers have the same length and are [`close`], one
/// by one.
pub fn same_numbers(got: &[f64], expected: &[f64]) -> bool {
    pairwise(got, expected, close)
}

/// Like [`same_numbers`], but NaN is close to NaN ([`close_or_both_nan`]).
pub fn same_numbers_or_both_nan(got: &[f64], expected: &[f64]) -> bool {
    pairwise(got, expected, close_or_both_nan)
}

/// Whether two lists of numbers have the same length and each pair passes
/// `close`: the building block of [`same_numbers`], for a test that compares
/// numbers its own way.
pub fn pairwise(got: &[f64], expected: &[f64], close: impl Fn(f64, f64) -> bool) -> bool {
    got.len() == expected.len() && got.iter().zip(expected).all(|(g, e)| close(*g, *e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_allows_rounding_and_nothing_more() {
        assert!(close(1.0 + 1e-12, 1.0));
        assert!(close(1e12 + 1.0, 1e12));
        assert!(!close(1.0 + 1e-6, 1.0));
        assert!(close(f64::INFINITY, f64::INFINITY));
        assert!(!close(1.0, f64::INFINITY), "Tolerance::accepts would say yes here");
        assert!(!close(f64::NEG_INFINITY, f64::INFINITY));
        assert!(!close(f64::NAN, f64::NAN));
        assert!(close_or_both_nan(f64::NAN, f64::NAN));
        assert!(!close_or_both_nan(f64::NAN, 1.0));
        assert!(!close_or_both_nan(1.0, f64::INFINITY));
    }

    #[test]
    fn lists_must_have_the_same_length() {
        assert!(same_numbers(&[1.0, 2.0], &[1.0, 2.0 + 1e-12]));
        assert!(!same_numbers(&[1.0, 2.0], &[1.0]));
        assert!(!same_numbers(&[f64::NAN], &[f64::NAN]));
        assert!(same_numbers_or_both_nan(&[1.0, f64::NAN], &[1.0, f64::NAN]));
        assert!(pairwise(&[], &[], |_, _| false));
        assert!(!pairwise(&[1.0], &[1.0], |_, _| false));
    }
}
