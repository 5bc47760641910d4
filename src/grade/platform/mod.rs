//! Where classes are graded now: one student's grade, from the one grading
//! engine, written the way each platform reads it.
//!
//! - [`classroom50`]: Classroom 50's `result.json` (schema
//!   `classroom50/result/v1`), which its runner publishes with each
//!   submission and its collector gathers into the gradebook;
//! - [`gradescope`]: Gradescope's `/autograder/results/results.json`;
//! - [`junit`]: JUnit XML, which any CI reads.
//!
//! All three start from [`rows`]: every test the course grades (the
//! reference solution's list, hidden tests included), each with its points
//! and its verdict for this student, so a submission that does not compile
//! still lists every test, at 0 points, and the maximum never depends on
//! what the student handed in. [`artifact`] writes what an instructor
//! uploads to each platform.

pub mod artifact;
pub mod classroom50;
pub mod gradescope;
pub mod junit;

use serde::Serialize;

use super::GradedTest;
use super::gradebook::{ExerciseResult, ExerciseStatus, StudentResult, TestStatus, cap_message};
use crate::course::manifest::short_name;

/// The platforms the grader writes results for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Platform {
    /// Classroom 50 (foundation50/classroom50): `result.json`, schema v1.
    Classroom50,
    /// Gradescope: an autograder zip, `/autograder/results/results.json`.
    Gradescope,
}

/// One graded test of one student.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The exercise's id, `01`.
    pub exercise: String,
    /// The test's name without its module path; `hidden: NAME` for a hidden test.
    pub name: String,
    pub hidden: bool,
    pub points: f64,
    pub max: f64,
    pub status: RowStatus,
    /// What the learner may read: the test's message (capped), a hidden
    /// test's description, or why the test did not run. Empty on a pass.
    pub message: String,
}

/// A row's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowStatus {
    Pass,
    Fail,
    /// Ran out of time, or crashed.
    Error,
    /// Never ran: the exercise did not compile, is missing or untouched, the
    /// submission was rejected, or the time budget was spent.
    NotRun,
}

impl Row {
    pub fn passed(&self) -> bool {
        self.status == RowStatus::Pass
    }

    /// `01: name`, the name every platform shows.
    pub fn title(&self) -> String {
        format!("{}: {}", self.exercise, self.name)
    }
}

/// Every test of `tests` (the course's graded tests, in order) with `s`'s
/// verdict on it.
pub fn rows(tests: &[GradedTest], s: &StudentResult) -> Vec<Row> {
    tests
        .iter()
        .map(|t| {
            let name = if t.hidden {
                t.name.clone()
            } else {
                short_name(&t.name).to_string()
            };
            let row = |status, points, message| Row {
                exercise: t.exercise.clone(),
                name: name.clone(),
                hidden: t.hidden,
                points,
                max: t.points,
                status,
                message,
            };
            if let Some(why) = &s.rejected {
                let message = format!("not graded: the submission was rejected: {why}");
                return row(RowStatus::NotRun, 0.0, message);
            }
            let Some(e) = s.exercises.get(&t.exercise) else {
                return row(RowStatus::NotRun, 0.0, "not graded".to_string());
            };
            if e.status != ExerciseStatus::Graded {
                return row(RowStatus::NotRun, 0.0, not_graded(&t.exercise, e));
            }
            match e.tests.iter().find(|o| o.name == t.name) {
                None => row(
                    RowStatus::NotRun,
                    0.0,
                    "not run: the test binary did not list this test".into(),
                ),
                Some(o) => {
                    let status = match o.status {
                        TestStatus::Pass => RowStatus::Pass,
                        TestStatus::Fail => RowStatus::Fail,
                        TestStatus::Timeout | TestStatus::Crash => RowStatus::Error,
                        TestStatus::NotRun => RowStatus::NotRun,
                    };
                    let mut message = cap_message(&o.message);
                    if o.status == TestStatus::Timeout && !e.note.is_empty() {
                        message = format!("{message}\n({})", e.note);
                    }
                    if o.status == TestStatus::NotRun && !o.hidden {
                        message = "not run: the time budget of this exercise was spent (a loop that never ends uses it up)".into();
                    }
                    row(status, o.points.min(t.points), message)
                }
            }
        })
        .collect()
}

/// Why an exercise's tests did not run, in one line for each of them.
fn not_graded(id: &str, e: &ExerciseResult) -> String {
    match e.status {
        ExerciseStatus::Missing => {
            format!("not run: the submission has no exercises/exercise-{id}/src/")
        }
        ExerciseStatus::NotStarted => {
            format!("not run: exercises/exercise-{id}/src is still the untouched stub")
        }
        ExerciseStatus::BuildError => format!(
            "not run: exercise {id} does not compile (run `cargo test -p exercise-{id}` to see the compiler's errors)"
        ),
        ExerciseStatus::Unreadable => format!("not run: {}", e.build_log),
        ExerciseStatus::Error | ExerciseStatus::Graded => {
            format!("not run: the grader could not run exercise {id}")
        }
    }
}

/// `s` without the hidden tests of `tests` (the course's graded tests),
/// points and maxima recomputed: what a learner may read before the grades
/// are published. `None` when no test is hidden.
pub fn without_hidden(tests: &[GradedTest], s: &StudentResult) -> Option<StudentResult> {
    if !tests.iter().any(|t| t.hidden) {
        return None;
    }
    let mut visible = s.clone();
    visible.total = 0.0;
    visible.max = 0.0;
    for (id, e) in visible.exercises.iter_mut() {
        let hidden = tests.iter().filter(|t| t.hidden && t.exercise == *id);
        let hidden_max: f64 = hidden.map(|t| t.points).sum();
        e.tests.retain(|t| !t.hidden);
        if e.status == ExerciseStatus::Graded {
            e.points = e.tests.iter().map(|t| t.points).sum();
            e.max = e.tests.iter().map(|t| t.max).sum();
        } else {
            e.max -= hidden_max;
        }
        visible.total += e.points;
        visible.max += e.max;
    }
    Some(visible)
}

/// `text` cut to at most `cap` bytes at a character boundary, with a note.
pub fn cap_text(text: &str, cap: usize) -> String {
    if text.len() <= cap {
        return text.to_string();
    }
    let mut end = cap;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n[cut: {} bytes in all, the first {end} kept]", &text[..end], text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::gradebook::TestOutcome;

    fn graded(ex: &str, name: &str, points: f64) -> GradedTest {
        GradedTest { exercise: ex.into(), name: name.into(), points, hidden: false }
    }

    #[test]
    fn a_build_error_lists_every_test_at_zero_and_a_pass_keeps_its_points() {
        let tests = [graded("01", "t::a", 1.0), graded("01", "t::b", 2.0), graded("02", "c", 1.0)];
        let mut s = StudentResult::named("ann", 4.0);
        s.add(
            "01",
            ExerciseResult::without_tests(ExerciseStatus::BuildError, 3.0, "error[E0308]".into()),
        );
        let mut e = ExerciseResult::without_tests(ExerciseStatus::Graded, 1.0, String::new());
        e.tests.push(TestOutcome {
            name: "c".into(),
            status: TestStatus::Pass,
            points: 1.0,
            max: 1.0,
            message: String::new(),
            hidden: false,
        });
        s.add("02", e);
        let r = rows(&tests, &s);
        assert_eq!(r.len(), 3);
        assert_eq!((r[0].name.as_str(), r[0].status, r[0].max), ("a", RowStatus::NotRun, 1.0));
        assert!(r[1].message.contains("does not compile"), "{}", r[1].message);
        assert_eq!((r[2].status, r[2].points), (RowStatus::Pass, 1.0));
        assert_eq!(without_hidden(&tests, &s).map(|v| v.max), None, "nothing hidden");
        let mut with_hidden = tests.to_vec();
        with_hidden.push(GradedTest { hidden: true, ..graded("01", "hidden: h", 2.0) });
        s.max = 6.0;
        s.exercises.get_mut("01").unwrap().max = 5.0;
        let visible = without_hidden(&with_hidden, &s).unwrap();
        assert_eq!((visible.max, visible.exercises["01"].max), (4.0, 3.0), "{visible:?}");
    }
}
