//! The one answer to "is this exercise sound?": its untouched stub compiles
//! and fails every test with a learner's message, its reference solution
//! passes every test, and each entry of its misconception catalogue fails a
//! test whose message contains that entry's hint.
//!
//! `cargo workbook dev verify`, the course's own tests (`tests/course.rs`)
//! and the grader's `--self-check` all ask it, each running the tests its own
//! way (the grader: sandboxed, with the instructor's hidden tests).

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use anyhow::Result;

use crate::course::manifest::Exercise;
use crate::course::misconception;
use crate::course::sources::{self, Sources};
use crate::course::stub;
use crate::engine::{Outcome, Report, Status, TestResult};

/// The fewest tests an exercise may have.
pub const MIN_TESTS: usize = 10;
/// The fewest misconceptions an exercise's catalogue may have.
pub const MIN_MISCONCEPTIONS: usize = 4;

/// What to check besides the stub and the solution.
#[derive(Clone, Debug, Default)]
pub struct Checks {
    /// That the committed stub in `exercises/` is the one made from the
    /// solution.
    pub committed_stub: bool,
    /// Every misconception of the catalogue (one test run each).
    pub misconceptions: bool,
    /// Test binaries (suites) whose failures need no learner's message: the
    /// instructor's hidden tests.
    pub exempt_suites: BTreeSet<String>,
}

impl Checks {
    /// Everything: what the course's own tests and `dev verify` check.
    pub fn all() -> Checks {
        Checks { committed_stub: true, misconceptions: true, exempt_suites: BTreeSet::new() }
    }
}

/// Which code a problem is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    Stub,
    Solution,
    Misconception(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Stub => write!(f, "the stub"),
            Subject::Solution => write!(f, "the solution"),
            Subject::Misconception(name) => write!(f, "misconception {name}"),
        }
    }
}

/// One thing wrong with an exercise.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// `exercises/exercise-ID/src` is not the stub made from the solution.
    StaleStub,
    DoesNotCompile {
        subject: Subject,
        diagnostics: String,
    },
    TooFewTests {
        count: usize,
    },
    PassesOnStub {
        test: String,
    },
    /// A test on the stub timed out or crashed instead of failing.
    StubTestNotFailed {
        test: String,
        status: Status,
        message: String,
    },
    NoLearnerMessage {
        test: String,
        message: String,
    },
    FailsOnSolution {
        test: String,
        status: Status,
        message: String,
    },
    TooFewMisconceptions {
        count: usize,
    },
    NotCaught {
        misconception: String,
        title: String,
        hint: String,
        failing: Vec<String>,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::StaleStub => write!(
                f,
                "the exercise's src/ is not the stub made from the solution: run `cargo workbook dev sync-stubs`"
            ),
            Problem::DoesNotCompile { subject, diagnostics } => {
                write!(f, "{subject} does not compile:\n{diagnostics}")
            }
            Problem::TooFewTests { count } => {
                write!(f, "it has only {count} tests (at least {MIN_TESTS})")
            }
            Problem::PassesOnStub { test } => write!(f, "{test} passes on the untouched stub"),
            Problem::StubTestNotFailed { test, status, message } => {
                write!(f, "{test} on the stub did not fail but {status:?}: {message}")
            }
            Problem::NoLearnerMessage { test, message } => {
                write!(f, "{test} fails on the stub without a learner message: {message}")
            }
            Problem::FailsOnSolution { test, status, message } => {
                write!(f, "{test} fails on the solution ({status:?}): {message}")
            }
            Problem::TooFewMisconceptions { count } => write!(
                f,
                "the catalogue has {count} misconceptions; it needs at least {MIN_MISCONCEPTIONS}"
            ),
            Problem::NotCaught { misconception, title, hint, failing } if failing.is_empty() => {
                write!(
                    f,
                    "misconception {misconception} ({title}) passes every test: no test catches it (hint {hint:?})"
                )
            }
            Problem::NotCaught { misconception, title, hint, failing } => write!(
                f,
                "misconception {misconception} ({title}) fails {failing:?}, but no failure message contains its hint {hint:?}"
            ),
        }
    }
}

/// How one misconception fared.
#[derive(Clone, Debug)]
pub struct Caught {
    pub name: String,
    /// Tests that did not pass.
    pub failing: usize,
    /// Of those, the ones whose message contains the hint.
    pub naming: usize,
}

/// What [`verify`] found about one exercise.
#[derive(Clone, Debug)]
pub struct Verification {
    pub exercise: String,
    pub stub: Report,
    pub solution: Report,
    pub misconceptions: Vec<Caught>,
    pub problems: Vec<Problem>,
}

impl Verification {
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks exercise `ex` of the course at `root`; `run` runs the exercise's
/// tests on a set of sources (e.g. `|files| engine.run(ex, files)`).
pub fn verify(
    root: &Path,
    ex: &Exercise,
    checks: &Checks,
    run: &dyn Fn(&Sources) -> Result<Report>,
) -> Result<Verification> {
    let mut problems = Vec::new();
    let stub = sources::stub(root, ex)?;
    if checks.committed_stub
        && !sources::same(&stub, &sources::learner(root, ex).unwrap_or_default())
    {
        problems.push(Problem::StaleStub);
    }
    let stub_report = run(&stub)?;
    check_stub(&stub_report, checks, &mut problems);
    let solution = sources::solution(root, ex)?;
    let solution_report = run(&solution)?;
    check_solution(&solution_report, &mut problems);
    let mut caught = Vec::new();
    if checks.misconceptions {
        let all = misconception::load_all(root, ex)?;
        if all.len() < MIN_MISCONCEPTIONS {
            problems.push(Problem::TooFewMisconceptions { count: all.len() });
        }
        for m in all {
            let report = run(&m.apply(&solution)?)?;
            let failing: Vec<&TestResult> =
                report.tests().iter().filter(|t| t.status != Status::Passed).collect();
            let naming = failing.iter().filter(|t| t.message.contains(&m.hint)).count();
            caught.push(Caught { name: m.name.clone(), failing: failing.len(), naming });
            if let Outcome::BuildFailed { diagnostics } = &report.outcome {
                let subject = Subject::Misconception(m.name.clone());
                problems
                    .push(Problem::DoesNotCompile { subject, diagnostics: diagnostics.clone() });
            } else if naming == 0 {
                problems.push(Problem::NotCaught {
                    misconception: m.name,
                    title: m.title,
                    hint: m.hint,
                    failing: failing.iter().map(|t| t.name.clone()).collect(),
                });
            }
        }
    }
    Ok(Verification {
        exercise: ex.id.clone(),
        stub: stub_report,
        solution: solution_report,
        misconceptions: caught,
        problems,
    })
}

/// The stub compiles and every test fails, with a learner's message.
fn check_stub(report: &Report, checks: &Checks, problems: &mut Vec<Problem>) {
    if let Outcome::BuildFailed { diagnostics } = &report.outcome {
        let diagnostics = diagnostics.clone();
        problems.push(Problem::DoesNotCompile { subject: Subject::Stub, diagnostics });
        return;
    }
    for t in report.tests() {
        let (test, message) = (t.name.clone(), t.message.clone());
        match t.status {
            Status::Passed => problems.push(Problem::PassesOnStub { test }),
            Status::Failed => {
                let exempt = checks.exempt_suites.contains(&t.suite);
                let teaches = t.message.contains(&stub::todo_call()) || t.message.contains("hint:");
                if !(exempt || teaches) {
                    problems.push(Problem::NoLearnerMessage { test, message });
                }
            }
            status => problems.push(Problem::StubTestNotFailed { test, status, message }),
        }
    }
}

/// The solution compiles, has enough tests, and passes every one.
fn check_solution(report: &Report, problems: &mut Vec<Problem>) {
    if let Outcome::BuildFailed { diagnostics } = &report.outcome {
        let diagnostics = diagnostics.clone();
        problems.push(Problem::DoesNotCompile { subject: Subject::Solution, diagnostics });
        return;
    }
    if report.total() < MIN_TESTS {
        problems.push(Problem::TooFewTests { count: report.total() });
    }
    for t in report.tests().iter().filter(|t| t.status != Status::Passed) {
        problems.push(Problem::FailsOnSolution {
            test: t.name.clone(),
            status: t.status,
            message: t.message.clone(),
        });
    }
}
