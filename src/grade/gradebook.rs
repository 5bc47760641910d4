//! The gradebook: what grading a class produced, student by student and
//! test by test, and how an engine report is scored into it.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::hidden::Hidden;
use crate::course::manifest::{Exercise, short_name};
use crate::engine::{Outcome, Report, Status};

/// What happened to one graded test, in the gradebook's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TestStatus {
    Pass,
    Fail,
    Timeout,
    Crash,
    /// Not run: the time budget of the submission's exercise was spent.
    NotRun,
}

impl TestStatus {
    pub fn word(self) -> &'static str {
        match self {
            TestStatus::Pass => "pass",
            TestStatus::Fail => "fail",
            TestStatus::Timeout => "timeout",
            TestStatus::Crash => "crash",
            TestStatus::NotRun => "not-run",
        }
    }
}

impl From<Status> for TestStatus {
    fn from(status: Status) -> TestStatus {
        match status {
            Status::Passed => TestStatus::Pass,
            Status::Failed => TestStatus::Fail,
            Status::TimedOut => TestStatus::Timeout,
            Status::Crashed => TestStatus::Crash,
            Status::NotRun => TestStatus::NotRun,
        }
    }
}

/// How far one exercise of one student got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExerciseStatus {
    /// Built and tested.
    Graded,
    /// The submission has no `exercises/exercise-ID/src/`.
    Missing,
    /// The files are the untouched stub: 0 points without a build.
    NotStarted,
    /// The code does not compile.
    BuildError,
    /// The sources could not be read (not UTF-8 text); `build_log` says which.
    Unreadable,
    /// The grader itself could not run this exercise.
    Error,
}

impl ExerciseStatus {
    pub fn word(self) -> &'static str {
        match self {
            ExerciseStatus::Graded => "graded",
            ExerciseStatus::Missing => "missing",
            ExerciseStatus::NotStarted => "not-started",
            ExerciseStatus::BuildError => "build-error",
            ExerciseStatus::Unreadable => "unreadable",
            ExerciseStatus::Error => "error",
        }
    }
}

impl fmt::Display for TestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

impl fmt::Display for ExerciseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// One test's result as the gradebook keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestOutcome {
    pub name: String,
    pub status: TestStatus,
    pub points: f64,
    pub max: f64,
    /// The learner-facing message; for a hidden test only its public description.
    pub message: String,
    pub hidden: bool,
}

/// One exercise of one student.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExerciseResult {
    pub status: ExerciseStatus,
    pub points: f64,
    pub max: f64,
    pub tests: Vec<TestOutcome>,
    /// The compiler's errors, for a build error (cut to a few kilobytes).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub build_log: String,
    /// What the grader noticed about the run as a whole, for the learner:
    /// which function seems to loop, when tests ran out of time.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl ExerciseResult {
    /// A result without tests: missing, not started, not compiled, not run.
    pub fn without_tests(status: ExerciseStatus, max: f64, build_log: String) -> ExerciseResult {
        ExerciseResult {
            status,
            points: 0.0,
            max,
            tests: Vec::new(),
            build_log,
            note: String::new(),
        }
    }

    /// Whether it was built and every test passed.
    pub fn full_marks(&self) -> bool {
        self.status == ExerciseStatus::Graded && self.points >= self.max
    }
}

/// One student.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StudentResult {
    pub student: String,
    /// Why the whole submission was not graded (corrupt archive, `..` paths, …).
    pub rejected: Option<String>,
    pub flags: Vec<String>,
    pub exercises: BTreeMap<String, ExerciseResult>,
    pub total: f64,
    pub max: f64,
}

impl StudentResult {
    /// A student with nothing graded yet, out of `max` points.
    pub fn named(student: &str, max: f64) -> StudentResult {
        StudentResult {
            student: student.to_string(),
            rejected: None,
            flags: Vec::new(),
            exercises: BTreeMap::new(),
            total: 0.0,
            max,
        }
    }

    /// Adds one exercise's result to the total.
    pub fn add(&mut self, id: &str, result: ExerciseResult) {
        self.total += result.points;
        self.exercises.insert(id.to_string(), result);
    }
}

/// What a grading run produced.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Gradebook {
    pub exercises: Vec<String>,
    /// Maximum points per exercise.
    pub max: BTreeMap<String, f64>,
    pub sandboxed: bool,
    pub students: Vec<StudentResult>,
}

/// A line for the gradebook when an exercise went worse than failing tests:
/// it did not compile, or some of its tests timed out or crashed.
pub fn trouble(id: &str, e: &ExerciseResult) -> Option<String> {
    match e.status {
        ExerciseStatus::BuildError => return Some(format!("exercise {id} does not compile")),
        ExerciseStatus::Unreadable => {
            return Some(format!("exercise {id} not graded: {}", e.build_log));
        }
        ExerciseStatus::Error => return Some(format!("exercise {id} could not be graded")),
        _ => {}
    }
    let count = |status| e.tests.iter().filter(|t| t.status == status).count();
    let (timeouts, crashes) = (count(TestStatus::Timeout), count(TestStatus::Crash));
    let not_run = count(TestStatus::NotRun);
    let mut parts = Vec::new();
    if timeouts > 0 {
        parts.push(format!("{timeouts} test(s) timed out"));
    }
    if not_run > 0 {
        parts.push(format!("{not_run} test(s) not run (time budget spent)"));
    }
    if crashes > 0 {
        parts.push(format!("{crashes} test(s) crashed"));
    }
    if !e.note.is_empty() && timeouts > 0 {
        parts.push(e.note.clone());
    }
    (!parts.is_empty()).then(|| format!("exercise {id}: {}", parts.join(", ")))
}

/// The most of one test's message that the gradebook keeps, in bytes.
pub const MESSAGE_CAP: usize = 4096;

/// `message`, cut to [`MESSAGE_CAP`] bytes (at a character boundary) with a
/// note saying so.
pub fn cap_message(message: &str) -> String {
    if message.len() <= MESSAGE_CAP {
        return message.to_string();
    }
    let mut end = MESSAGE_CAP;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n[message cut: {} bytes in all, the first {end} kept]",
        &message[..end],
        message.len()
    )
}

/// Turns an engine report into the gradebook's form, scoring with the
/// manifest's points and hiding the code and expected values of hidden tests.
pub fn score(ex: &Exercise, report: &Report, hidden: &Hidden) -> ExerciseResult {
    match &report.outcome {
        Outcome::BuildFailed { diagnostics } => {
            let mut log: String = diagnostics.chars().take(4000).collect();
            if diagnostics.len() > log.len() {
                log.push_str("\n[… cut]");
            }
            ExerciseResult::without_tests(ExerciseStatus::BuildError, 0.0, log)
        }
        Outcome::Tested { tests } => {
            let suites = hidden.suites();
            let names: Vec<String> = tests.iter().map(|t| t.name.clone()).collect();
            let mut out = Vec::new();
            for t in tests {
                let max = ex.points_for(&t.name, &names);
                let passed = t.status == Status::Passed;
                let is_hidden = suites.contains(&t.suite);
                let message = if passed {
                    String::new()
                } else if is_hidden {
                    let description =
                        hidden.descriptions.get(short_name(&t.name)).cloned().unwrap_or_else(
                            || "an additional test of the instructor's".to_string(),
                        );
                    if t.status == Status::NotRun {
                        format!(
                            "a hidden test was not run (the time budget was spent): {description}"
                        )
                    } else {
                        format!("a hidden test failed: {description}")
                    }
                } else {
                    cap_message(&t.message)
                };
                let name = if is_hidden {
                    format!("hidden: {}", short_name(&t.name))
                } else {
                    t.name.clone()
                };
                out.push(TestOutcome {
                    name,
                    status: t.status.into(),
                    points: if passed { max } else { 0.0 },
                    max,
                    message,
                    hidden: is_hidden,
                });
            }
            let points = out.iter().map(|t| t.points).sum();
            let max = out.iter().map(|t| t.max).sum();
            ExerciseResult {
                status: ExerciseStatus::Graded,
                points,
                max,
                tests: out,
                build_log: String::new(),
                note: String::new(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_message_is_cut_at_a_character_with_a_note() {
        assert_eq!(cap_message("short"), "short");
        let long = "é".repeat(MESSAGE_CAP); // two bytes each
        let cut = cap_message(&long);
        assert!(cut.starts_with("éé") && cut.len() < MESSAGE_CAP + 100, "{}", cut.len());
        assert!(cut.ends_with(&format!(
            "[message cut: {} bytes in all, the first 4096 kept]",
            2 * MESSAGE_CAP
        )));
    }
}
