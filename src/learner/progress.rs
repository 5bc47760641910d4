//! The learner's progress, computed from the code as it is now (never from a
//! stored flag that could go stale), exercise by exercise.

use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::course::manifest::Exercise;
use crate::course::sources;
use crate::engine::{Engine, Outcome, Report, Status, TestResult};

/// Where a learner stands on one exercise.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Progress {
    /// The source files are still the untouched stub.
    NotStarted,
    /// The code compiles and some tests fail. `core_passed` of `core_total`
    /// are the core path's tests (`core_total == total` when the exercise
    /// has no deeper parts).
    Working { passed: usize, total: usize, core_passed: usize, core_total: usize, report: Report },
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

    /// Every core test passes (the whole exercise, or its core path while
    /// deeper parts remain).
    pub fn core_done(&self) -> bool {
        match self {
            Progress::Done { .. } => true,
            Progress::Working { core_passed, core_total, .. } => core_passed == core_total,
            _ => false,
        }
    }

    /// A few words for the course map.
    pub fn label(&self) -> String {
        match self {
            Progress::NotStarted => "not started".into(),
            Progress::Working { passed, total, core_passed, core_total, .. } => {
                if core_total == total {
                    format!("{passed} of {total} tests passing")
                } else if core_passed < core_total {
                    format!("core: {core_passed} of {core_total} tests")
                } else {
                    format!("core done · deeper {} of {}", passed - core_passed, total - core_total)
                }
            }
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
    Ok(from_report(ex, report))
}

/// Progress as a test report of exercise `ex` shows it.
pub fn from_report(ex: &Exercise, report: Report) -> Progress {
    match report.outcome {
        Outcome::BuildFailed { .. } => Progress::DoesNotCompile { report },
        Outcome::Tested { .. } if report.all_passed() => Progress::Done { total: report.total() },
        Outcome::Tested { .. } => {
            let core: Vec<&TestResult> =
                report.tests().iter().filter(|t| ex.is_core(&t.name)).collect();
            Progress::Working {
                passed: report.passed(),
                total: report.total(),
                core_passed: core.iter().filter(|t| t.status == Status::Passed).count(),
                core_total: core.len(),
                report,
            }
        }
    }
}

/// The test to show a learner first: the first failing core test while the
/// core is not done, else the first failing test.
pub fn first_failure<'r>(ex: &Exercise, report: &'r Report) -> Option<&'r TestResult> {
    let failing = |t: &&TestResult| t.status != Status::Passed;
    report
        .tests()
        .iter()
        .filter(failing)
        .find(|t| ex.is_core(&t.name))
        .or_else(|| report.tests().iter().find(failing))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::manifest::Manifest;

    fn result(name: &str, passed: bool) -> TestResult {
        TestResult {
            suite: "exercise_01".into(),
            name: name.into(),
            status: if passed { Status::Passed } else { Status::Failed },
            message: String::new(),
            duration_ms: 0,
        }
    }

    #[test]
    fn the_map_counts_the_core_first_then_the_deeper_parts() {
        let manifest = Manifest::parse(
            "[course]\ntitle = \"T\"\nbook = \"b\"\n[[exercise]]\nid = \"01\"\ntitle = \"t\"\nchapter = \"c\"\nhints = [\"h\"]\n[[exercise.deeper]]\nname = \"csv\"\nsection = \"csv\"\nfunctions = [\"load\"]\ntests = [\"load::*\"]\n",
            Path::new("course.toml"),
        )
        .unwrap();
        let ex = &manifest.exercises[0];
        let report = |tests: Vec<TestResult>| Report {
            exercise: "01".into(),
            outcome: Outcome::Tested { tests },
        };
        let working = from_report(
            ex,
            report(vec![
                result("load::a", false),
                result("split::a", true),
                result("split::b", false),
            ]),
        );
        assert_eq!(working.label(), "core: 1 of 2 tests");
        assert!(!working.core_done());
        let Progress::Working { report: r, .. } = &working else { panic!("{working:?}") };
        assert_eq!(first_failure(ex, r).map(|t| t.name.as_str()), Some("split::b"));
        let core_done = from_report(
            ex,
            report(vec![
                result("load::a", false),
                result("load::b", true),
                result("split::a", true),
            ]),
        );
        assert_eq!(core_done.label(), "core done · deeper 1 of 2");
        assert!(core_done.core_done() && !core_done.is_done());
        let Progress::Working { report: r, .. } = &core_done else { panic!("{core_done:?}") };
        assert_eq!(first_failure(ex, r).map(|t| t.name.as_str()), Some("load::a"));
    }
}
