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

use anyhow::{Context, Result};

use crate::course::manifest::{Deeper, Exercise};
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
    /// That the core path of `course.toml` is true: with every deeper part
    /// left undone the core passes and the deeper tests fail (one test run,
    /// and one per deeper part when there are several).
    pub core_path: bool,
    /// Test binaries (suites) whose failures need no learner's message: the
    /// instructor's hidden tests.
    pub exempt_suites: BTreeSet<String>,
}

impl Checks {
    /// Everything: what the course's own tests and `dev verify` check.
    pub fn all() -> Checks {
        Checks {
            committed_stub: true,
            misconceptions: true,
            core_path: true,
            exempt_suites: BTreeSet::new(),
        }
    }
}

/// Which code a problem is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    Stub,
    Solution,
    Misconception(String),
    /// The solution with the functions of some deeper parts left undone.
    Undone(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Stub => write!(f, "the stub"),
            Subject::Solution => write!(f, "the solution"),
            Subject::Misconception(name) => write!(f, "misconception {name}"),
            Subject::Undone(parts) => write!(f, "the solution without {parts}"),
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
    /// A deeper part names a function that has no solution region.
    UnknownFunction {
        part: String,
        function: String,
    },
    /// A deeper part's test pattern matches no test.
    UnknownTest {
        part: String,
        pattern: String,
    },
    /// A core test fails when the deeper parts are left undone: a learner on
    /// the core path could never pass it.
    CoreNeedsDeeper {
        test: String,
        message: String,
    },
    /// A test listed in a deeper part passes with that part left undone: it
    /// belongs to the core (or to another part).
    PassesWithoutItsPart {
        test: String,
        part: String,
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
            Problem::UnknownFunction { part, function } => write!(
                f,
                "the deeper part \"{part}\" in course.toml lists the function {function}, which has no solution region (write `Type::name` for a method)"
            ),
            Problem::UnknownTest { part, pattern } => write!(
                f,
                "the deeper part \"{part}\" in course.toml lists the test {pattern:?}, which matches no test"
            ),
            Problem::CoreNeedsDeeper { test, message } => write!(
                f,
                "the core test {test} fails when the deeper parts are left undone, so the core path cannot be finished without them (list it in a deeper part of course.toml): {message}"
            ),
            Problem::PassesWithoutItsPart { test, part } => write!(
                f,
                "{test} is listed in the deeper part \"{part}\" but passes with that part left undone: move it to the core (or to the part it needs)"
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
    if checks.core_path && !ex.deeper.is_empty() && solution_report.all_passed() {
        check_core_path(ex, &solution, &solution_report, run, &mut problems)?;
    }
    Ok(Verification {
        exercise: ex.id.clone(),
        stub: stub_report,
        solution: solution_report,
        misconceptions: caught,
        problems,
    })
}

/// The solution with the functions of `parts` left as the stub has them.
pub fn without_parts(solution: &Sources, parts: &[&Deeper]) -> Result<(Sources, BTreeSet<String>)> {
    let undone = |owner: &str| parts.iter().any(|p| p.functions.iter().any(|f| f == owner));
    let mut out = Sources::new();
    let mut stubbed = BTreeSet::new();
    for (path, text) in solution {
        if stub::has_regions(text) {
            let (partial, names) = stub::stub_functions(text, &undone)
                .with_context(|| format!("in {}", path.display()))?;
            out.insert(path.clone(), partial);
            stubbed.extend(names);
        } else {
            out.insert(path.clone(), text.clone());
        }
    }
    Ok((out, stubbed))
}

/// The core path is true: with every deeper part undone, every core test
/// passes and every deeper test fails; with one part undone, all its tests
/// fail.
fn check_core_path(
    ex: &Exercise,
    solution: &Sources,
    solution_report: &Report,
    run: &dyn Fn(&Sources) -> Result<Report>,
    problems: &mut Vec<Problem>,
) -> Result<()> {
    let names: Vec<&str> = solution_report.tests().iter().map(|t| t.name.as_str()).collect();
    for part in &ex.deeper {
        for pattern in &part.tests {
            let probe = Deeper { tests: vec![pattern.clone()], ..part.clone() };
            if !names.iter().any(|n| probe.has_test(n)) {
                problems.push(Problem::UnknownTest {
                    part: part.name.clone(),
                    pattern: pattern.clone(),
                });
            }
        }
    }
    let all: Vec<&Deeper> = ex.deeper.iter().collect();
    let (core_only, stubbed) = without_parts(solution, &all)?;
    for part in &ex.deeper {
        for function in part.functions.iter().filter(|f| !stubbed.contains(*f)) {
            problems.push(Problem::UnknownFunction {
                part: part.name.clone(),
                function: function.clone(),
            });
        }
    }
    let report = run(&core_only)?;
    if let Outcome::BuildFailed { diagnostics } = &report.outcome {
        let subject = Subject::Undone("its deeper parts".into());
        problems.push(Problem::DoesNotCompile { subject, diagnostics: diagnostics.clone() });
        return Ok(());
    }
    for t in report.tests() {
        match ex.deeper_part(&t.name) {
            None if t.status != Status::Passed => problems.push(Problem::CoreNeedsDeeper {
                test: t.name.clone(),
                message: t.message.clone(),
            }),
            Some(part) if t.status == Status::Passed => {
                problems.push(Problem::PassesWithoutItsPart {
                    test: t.name.clone(),
                    part: part.name.clone(),
                })
            }
            _ => {}
        }
    }
    if ex.deeper.len() > 1 {
        for part in &ex.deeper {
            let (without, _) = without_parts(solution, &[part])?;
            let report = run(&without)?;
            if let Outcome::BuildFailed { diagnostics } = &report.outcome {
                let subject = Subject::Undone(format!("its deeper part \"{}\"", part.name));
                problems
                    .push(Problem::DoesNotCompile { subject, diagnostics: diagnostics.clone() });
            }
            for t in report.tests().iter().filter(|t| t.status == Status::Passed) {
                // A test listed in two parts belongs to the first (deeper_part).
                if ex.deeper_part(&t.name).is_some_and(|p| p.name == part.name) {
                    problems.push(Problem::PassesWithoutItsPart {
                        test: t.name.clone(),
                        part: part.name.clone(),
                    });
                }
            }
        }
    }
    Ok(())
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
