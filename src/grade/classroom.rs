//! GitHub Classroom: the autograding workflow and the per-test verdict it
//! asks for.

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::GradedTest;
use super::gradebook::{ExerciseStatus, Gradebook, TestStatus};

/// A GitHub Classroom autograding workflow that grades each student's push
/// with this grader: the course's own tests (checked out from the course's
/// repository at `course_ref`, never the student's copies), one autograding
/// step per test with the manifest's points, and the classroom reporter.
pub fn classroom_workflow(
    course_repository: &str,
    course_ref: &str,
    tests: &[GradedTest],
    exercises: &[String],
) -> String {
    let mut y = String::new();
    y.push_str("# Written by `cargo workbook classroom`: each push is graded by the course's\n");
    y.push_str("# own grader with the course's pristine tests; only the student's\n");
    y.push_str("# exercises/exercise-NN/src/**/*.rs are taken from the push.\n");
    y.push_str("name: Autograding\n\"on\":\n  - push\n  - repository_dispatch\n");
    y.push_str("permissions:\n  checks: write\n  actions: read\n  contents: read\n");
    y.push_str("jobs:\n  autograding:\n    runs-on: ubuntu-latest\n    if: github.actor != 'github-classroom[bot]'\n    timeout-minutes: 60\n    steps:\n");
    y.push_str("      - name: Check out the submission\n        uses: actions/checkout@v4\n        with:\n          path: submission\n");
    y.push_str(&format!(
        "      - name: Check out the course (pristine tests)\n        uses: actions/checkout@v4\n        with:\n          repository: {course_repository}\n          ref: {course_ref}\n          path: course\n"
    ));
    y.push_str("      - name: Install the sandbox\n        run: sudo apt-get update -q && sudo apt-get install -y -q bubblewrap\n");
    y.push_str(&format!(
        "      - name: Grade\n        run: |\n          mkdir -p submissions\n          rm -rf submission/.git submission/target\n          mv submission submissions/student\n          cd course && cargo workbook grade ../submissions --out ../grades --exercises {}\n",
        exercises.join(",")
    ));
    let mut ids = Vec::new();
    for (i, GradedTest { exercise: ex, name: test, points }) in tests.iter().enumerate() {
        let id = format!("t{:03}-ex{ex}", i + 1);
        y.push_str(&format!(
            "      - name: \"{ex}: {test}\"\n        id: {id}\n        uses: classroom-resources/autograding-command-grader@v1\n        with:\n          test-name: \"{ex}: {test}\"\n          command: cd course && cargo workbook grade-result ../grades student {ex} '{test}'\n          timeout: 5\n          max-score: {}\n",
            format_points(*points)
        ));
        ids.push(id);
    }
    y.push_str("      - name: Report\n        uses: classroom-resources/autograding-grading-reporter@v1\n        env:\n");
    for id in &ids {
        y.push_str(&format!(
            "          {}_RESULTS: \"${{{{steps.{id}.outputs.result}}}}\"\n",
            id.to_uppercase()
        ));
    }
    y.push_str(&format!("        with:\n          runners: {}\n", ids.join(",")));
    y
}

fn format_points(p: f64) -> String {
    if p.fract() == 0.0 { format!("{p:.0}") } else { format!("{p}") }
}

/// Whether `test` of `exercise` passed for `student` in a grading run's
/// results.json; the learner's message when it did not.
pub fn test_result(
    out: &Path,
    student: &str,
    exercise: &str,
    test: &str,
) -> Result<std::result::Result<(), String>> {
    let path = out.join("results.json");
    let book: Gradebook = serde_json::from_str(
        &std::fs::read_to_string(&path)
            .with_context(|| format!("could not read {}", path.display()))?,
    )
    .with_context(|| format!("{} is not a grader's results.json", path.display()))?;
    let s = book
        .students
        .iter()
        .find(|s| s.student == student)
        .with_context(|| format!("{} has no student {student}", path.display()))?;
    if let Some(why) = &s.rejected {
        return Ok(Err(format!("the submission was rejected: {why}")));
    }
    let e =
        s.exercises.get(exercise).with_context(|| format!("exercise {exercise} was not graded"))?;
    match e.tests.iter().find(|t| t.name == test) {
        Some(t) if t.status == TestStatus::Pass => Ok(Ok(())),
        Some(t) => Ok(Err(t.message.clone())),
        None if e.status == ExerciseStatus::Graded => {
            bail!("exercise {exercise} has no test {test}")
        }
        None => Ok(Err(format!(
            "exercise {exercise}: {}{}",
            e.status,
            if e.build_log.is_empty() { String::new() } else { format!("\n{}", e.build_log) }
        ))),
    }
}
