//! The workbook's root crate: the course and its checks, the one grading
//! engine that the learner's tools, the course's own tests and the
//! instructor's grader all use, and the data commands.
//!
//! - [`course`]: the manifest, stubs, sources, misconceptions, and `verify`;
//! - [`engine`]: slots, test processes and the sandbox, libtest's output;
//! - [`grade`]: the instructor's grader, its gradebook and reports;
//! - [`learner`]: progress, hints, reset and backups, watch, plots;
//! - [`data`]: CSV tables, `fit` and `train`;
//! - [`book`]: the book's tools and figures;
//! - [`util`]: walking and writing files, threads.
//!
//! The command line (`src/main.rs`, `src/cli/`) only parses, calls these and
//! prints.

//!
//! Without the feature `full` (the learner's first build, see Cargo.toml),
//! [`data`], [`grade`] and the book's figures are left out.

pub mod book;
pub mod course;
#[cfg(feature = "full")]
pub mod data;
pub mod engine;
#[cfg(feature = "full")]
pub mod grade;
pub mod learner;
pub mod util;
