//! Support code shared by the exercises' tests and the reference solutions.
//!
//! You never need to edit this crate. It has two parts:
//!
//! - [`check`]: comparisons that, when they fail, tell the learner what was
//!   called, what came back, what was expected, and a hint;
//! - [`plot`]: the course's figures (scatter plots, fitted lines, loss curves)
//!   written as SVG files;
//! - `properties` (feature `properties`, for the tests only): property tests
//!   with proptest on a fixed seed, whose failures read like the checks'.

pub mod check;
pub mod data;
pub mod plot;
#[cfg(feature = "properties")]
pub mod properties;

pub use check::{Tolerance, call, check, check_close, check_eq, check_error, explain, fail, fixed};
