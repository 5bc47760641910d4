//! The learner's progress, computed from the code as it is now (never from a
//! stored flag that could go stale), exercise by exercise.

use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::course::manifest::Exercise;
use crate::course::sources;
use crate::engine::{Engine, Outcome, Report};

/// Where a learner stands on one exercise.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Progress {
    /// The source files are still the untouched stub.
    NotStarted,
    /// The code compiles and some tests fail.
    Working { passed: usize, total: usize, report: Report },
    /// The code does not compile.
    DoesNotCompile { report: Report },
    /// Every test passes.
    Done { total: usize },
    /// The exercise's folder is missing or unreadable.
    Missing { problem: String },
}

impl Progress {
    pub fn is_done(&self) -> bool {
        matches!(self, Progress::Done { .. })
    }

    /// A few words for the course map.
    pub fn label(&self) -> String {
        match self {
            Progress::NotStarted => "not started".into(),
            Progress::Working { passed, total, .. } => format!("{passed} of {total} tests passing"),
            Progress::DoesNotCompile { .. } => "does not compile".into(),
            Progress::Done { total } => format!("done ({total} of {total} tests)"),
            Progress::Missing { .. } => "missing".into(),
        }
    }
}

/// The progress of one exercise: runs its tests (in place, sharing the
/// learner's build) unless the files are still the stub.
pub fn of(engine: &Engine, root: &Path, ex: &Exercise) -> Result<Progress> {
    let learner = match sources::learner(root, ex) {
        Ok(files) => files,
        Err(e) => return Ok(Progress::Missing { problem: format!("{e:#}") }),
    };
    let stub = sources::stub(root, ex)?;
    if sources::same(&learner, &stub) {
        return Ok(Progress::NotStarted);
    }
    let report = engine.run_in_place(ex)?;
    Ok(from_report(report))
}

/// Progress as a test report shows it.
pub fn from_report(report: Report) -> Progress {
    match report.outcome {
        Outcome::BuildFailed { .. } => Progress::DoesNotCompile { report },
        Outcome::Tested { .. } if report.all_passed() => Progress::Done { total: report.total() },
        Outcome::Tested { .. } => {
            Progress::Working { passed: report.passed(), total: report.total(), report }
        }
    }
}
