//! What a run of an exercise's tests produced.

use serde::Serialize;

use crate::course::manifest::Exercise;

/// What happened to one test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    Failed,
    /// Still running when the timeout struck.
    TimedOut,
    /// The test process died without reporting (stack overflow, abort, exit).
    Crashed,
    /// Not run (or stopped before its own time limit): the run's time budget
    /// was spent.
    NotRun,
}

/// One test's result.
#[derive(Clone, Debug, Serialize)]
pub struct TestResult {
    /// The test binary (cargo's test target name, e.g. `exercise_01`).
    pub suite: String,
    /// The test's name as the test binary lists it (`module::name`).
    pub name: String,
    pub status: Status,
    /// The failure message written for the learner (empty when passed).
    pub message: String,
    pub duration_ms: u64,
}

/// What a run produced.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// The tests were built and run.
    Tested { tests: Vec<TestResult> },
    /// The code did not compile; `diagnostics` holds the compiler's errors.
    BuildFailed { diagnostics: String },
}

/// The result of running one exercise's tests on one set of sources.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub exercise: String,
    pub outcome: Outcome,
}

impl Report {
    pub fn tests(&self) -> &[TestResult] {
        match &self.outcome {
            Outcome::Tested { tests } => tests,
            Outcome::BuildFailed { .. } => &[],
        }
    }
    pub fn passed(&self) -> usize {
        self.tests().iter().filter(|t| t.status == Status::Passed).count()
    }
    pub fn total(&self) -> usize {
        self.tests().len()
    }
    /// Whether the code built, has tests, and every one of them passed.
    pub fn all_passed(&self) -> bool {
        self.total() > 0 && self.passed() == self.total()
    }
    /// The first test that did not pass.
    pub fn first_failure(&self) -> Option<&TestResult> {
        self.tests().iter().find(|t| t.status != Status::Passed)
    }
    /// Points scored and possible, by the manifest's points.
    pub fn points(&self, ex: &Exercise) -> Points {
        let names: Vec<String> = self.tests().iter().map(|t| t.name.clone()).collect();
        let mut points = Points { scored: 0.0, possible: 0.0 };
        for t in self.tests() {
            let p = ex.points_for(&t.name, &names);
            points.possible += p;
            if t.status == Status::Passed {
                points.scored += p;
            }
        }
        points
    }
}

/// Points of a run, by the manifest's points.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Points {
    pub scored: f64,
    pub possible: f64,
}
