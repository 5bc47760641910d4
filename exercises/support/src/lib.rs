//! Support code shared by the exercises' tests and the reference solutions.
//!
//! You never need to edit this crate. It has five parts:
//!
//! - [`check`](mod@check): checks that, when they fail, tell the learner what was
//!   called, what came back, what was expected, and a hint;
//! - [`compare`]: whether computed numbers are the expected ones up to
//!   rounding, with which the tests judge results and recognise known
//!   wrong answers;
//! - [`data`]: the data sets more than one exercise uses (the lecture's house
//!   table, chapter 3's three points);
//! - [`plot`]: the course's figures (scatter plots, fitted lines, loss curves)
//!   written as SVG files;
//! - `properties` (feature `properties`, for the tests only): property tests
//!   with proptest on a fixed seed, whose failures read like the checks'.

pub mod check;
pub mod compare;
pub mod data;
pub mod plot;
#[cfg(feature = "properties")]
pub mod properties;

pub use check::{Tolerance, call, check, check_close, check_eq, check_error, explain, fail, fixed};
