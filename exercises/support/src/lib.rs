//! Support code shared by the exercises' tests and the reference solutions.
//!
//! You never need to edit this crate. It has two parts:
//!
//! - [`check`]: comparisons that, when they fail, tell the learner what was
//!   called, what came back, what was expected, and a hint;
//! - [`plot`]: the course's figures (scatter plots, fitted lines, loss curves)
//!   written as SVG files.

pub mod check;
pub mod plot;

pub use check::{call, check, check_close, check_eq, fail, Tolerance};
