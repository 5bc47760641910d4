//! Gradescope's `results.json`.
//!
//! The contract, from Gradescope's autograder specification
//! (gradescope/autograder_samples, `docs/specs.md`): `run_autograder` grades
//! `/autograder/submission` and writes `/autograder/results/results.json`;
//! each test has a `score`, a `max_score`, a `name`, a `number`, an `output`
//! (the only text students see; what `run_autograder` prints goes to the
//! instructor) and a `visibility`: `visible`, `hidden` (never shown),
//! `after_due_date` or `after_published` (shown once the instructor
//! publishes the grades). Hidden tests here are `after_published`: they
//! count, and students see them (with the instructor's description only)
//! when the grades are published; while any test is not visible, Gradescope
//! does not show students their total.

use serde_json::{Value, json};

use super::{Row, cap_text};

/// The visibility of an instructor's hidden test.
pub const HIDDEN_VISIBILITY: &str = "after_published";
/// The most of the submission-wide `output` kept, in bytes.
pub const OUTPUT_CAP: usize = 64 * 1024;

/// The `results.json` of one submission. `output`: what the whole
/// submission's feedback says (its total, flags, build errors); `seconds`:
/// how long the grading took.
pub fn results(rows: &[Row], output: &str, seconds: u64) -> Value {
    let mut index: Vec<(String, usize)> = Vec::new();
    let tests: Vec<Value> = rows
        .iter()
        .map(|r| {
            let n = match index.iter_mut().find(|(e, _)| *e == r.exercise) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    index.push((r.exercise.clone(), 1));
                    1
                }
            };
            let exercise: u32 = r.exercise.parse().unwrap_or(0);
            let output = if r.passed() { "passed".to_string() } else { r.message.clone() };
            json!({
                "name": r.title(),
                "number": format!("{exercise}.{n}"),
                "score": r.points,
                "max_score": r.max,
                "output": output,
                "tags": [format!("exercise-{}", r.exercise)],
                "visibility": if r.hidden { HIDDEN_VISIBILITY } else { "visible" },
            })
        })
        .collect();
    let score: f64 = rows.iter().map(|r| r.points).sum();
    json!({
        "score": score,
        "execution_time": seconds,
        "output": cap_text(output, OUTPUT_CAP),
        "stdout_visibility": "hidden",
        "tests": tests,
    })
}

/// What is wrong with `results` by Gradescope's specification, and with
/// the course's own promises (the sum, hidden tests kept from students).
pub fn validate(results: &Value) -> Result<(), String> {
    let Some(tests) = results.get("tests").and_then(Value::as_array) else {
        return Err("'tests' is not a list".into());
    };
    let mut sum = 0.0;
    for (i, t) in tests.iter().enumerate() {
        let number = |f: &str| t.get(f).and_then(Value::as_f64);
        let (Some(score), Some(max)) = (number("score"), number("max_score")) else {
            return Err(format!("tests[{i}]: 'score' and 'max_score' must be numbers"));
        };
        if !(0.0..=max).contains(&score) {
            return Err(format!("tests[{i}]: score {score} outside 0..={max}"));
        }
        for field in ["name", "number", "output"] {
            if !t.get(field).is_some_and(Value::is_string) {
                return Err(format!("tests[{i}]: '{field}' must be a string"));
            }
        }
        let visibility = t.get("visibility").and_then(Value::as_str).unwrap_or("");
        if !["visible", "hidden", "after_due_date", "after_published"].contains(&visibility) {
            return Err(format!("tests[{i}]: visibility {visibility:?}"));
        }
        sum += score;
    }
    let total = results.get("score").and_then(Value::as_f64).unwrap_or(f64::NAN);
    if (total - sum).abs() > 1e-9 {
        return Err(format!("'score' {total} is not the tests' sum {sum}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::platform::RowStatus;

    #[test]
    fn hidden_tests_wait_for_publication_and_the_score_is_the_sum() {
        let row = |exercise: &str, hidden, status| Row {
            exercise: exercise.into(),
            name: "t".into(),
            hidden,
            points: if status == RowStatus::Pass { 1.5 } else { 0.0 },
            max: 1.5,
            status,
            message: "expected 3.5".into(),
        };
        let rows = [
            row("01", false, RowStatus::Pass),
            row("01", true, RowStatus::Fail),
            row("02", false, RowStatus::Fail),
        ];
        let r = results(&rows, "Total", 3);
        assert_eq!(validate(&r), Ok(()));
        assert_eq!(r["score"], json!(1.5));
        assert_eq!(r["tests"][1]["visibility"], json!("after_published"));
        assert_eq!(r["tests"][1]["number"], json!("1.2"));
        assert_eq!(r["tests"][2]["number"], json!("2.1"));
        assert_eq!(r["tests"][0]["output"], json!("passed"));
    }
}
