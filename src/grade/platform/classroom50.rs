//! Classroom 50's `result.json` (schema `classroom50/result/v1`).
//!
//! The contract, from Classroom 50's runner and score collector
//! (foundation50/classroom50, `cli/gh-teacher/skeleton/dotgithub/scripts/`
//! and the wiki's "Advanced Autograding"): the autograder runs in the
//! student's checkout and writes `./result.json`; the runner hands it
//! `CLASSROOM`, `ASSIGNMENT`, `SUBMISSION_TAG` (`submit/<UTC time>-<sha>`),
//! `COMMIT_URL`, `RELEASE_URL`, `REVIEW_URL` and `USERNAME`/`OWNER`, and
//! stamps `owner` and `assignment_type` itself. The collector rejects a file
//! whose `score`, `max-score` or any test's `score`/`max-score` is not a
//! non-negative integer, whose score exceeds its maximum, whose `submission`
//! does not start with `submit/`, or whose `commit`, `release`, `review` or
//! `datetime` is not a non-empty string; it does not read a file over 10 MiB.
//! Extra fields on a test are kept verbatim: a failed test carries the
//! learner's `message`.
//!
//! The course's points may be fractions (a group's points shared among its
//! tests); Classroom 50's must be integers. [`scale`] finds the smallest
//! factor that makes every test's points whole, so the integer points keep
//! the course's proportions exactly and the sums are exact.

use anyhow::{Result, bail};
use serde_json::{Value, json};

use super::Row;

/// The schema's name.
pub const SCHEMA: &str = "classroom50/result/v1";
/// The largest result file the collector reads.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// Who and what is graded, as Classroom 50's runner says in the environment.
#[derive(Clone, Debug, Default)]
pub struct Identity {
    pub classroom: String,
    pub assignment: String,
    /// `submit/<UTC time>-<short sha>`.
    pub submission: String,
    pub commit: String,
    pub release: String,
    pub review: String,
    /// The submission instant, UTC ISO 8601.
    pub datetime: String,
    /// The repository owner; the runner stamps it when empty.
    pub owner: String,
    /// `individual` or `group`; the runner stamps it when empty.
    pub assignment_type: String,
}

impl Identity {
    /// Reads the runner's variables; `datetime` is given by the caller (the
    /// graded commit's date). Fails naming every variable that is missing.
    pub fn from_env(datetime: &str) -> Result<Identity> {
        let var = |name: &str| std::env::var(name).unwrap_or_default().trim().to_string();
        let identity = Identity {
            classroom: var("CLASSROOM"),
            assignment: var("ASSIGNMENT"),
            submission: var("SUBMISSION_TAG"),
            commit: var("COMMIT_URL"),
            release: var("RELEASE_URL"),
            review: {
                let review = var("REVIEW_URL");
                if review.is_empty() { var("COMMIT_URL") } else { review }
            },
            datetime: datetime.to_string(),
            owner: {
                let owner = var("OWNER");
                if owner.is_empty() { var("USERNAME") } else { owner }
            },
            assignment_type: var("ASSIGNMENT_TYPE"),
        };
        let required = [
            ("CLASSROOM", &identity.classroom),
            ("ASSIGNMENT", &identity.assignment),
            ("SUBMISSION_TAG", &identity.submission),
            ("COMMIT_URL", &identity.commit),
            ("RELEASE_URL", &identity.release),
        ];
        let missing: Vec<&str> =
            required.iter().filter(|(_, v)| v.is_empty()).map(|(n, _)| *n).collect();
        if !missing.is_empty() {
            bail!(
                "Classroom 50's runner sets {} for the autograder, and they are missing: run this from the autograder.py that `cargo workbook autograder classroom50` writes (scripts/try-autograder sets them for a local run)",
                missing.join(", ")
            );
        }
        if identity.datetime.is_empty() {
            bail!("--datetime is empty: pass the graded commit's date (UTC ISO 8601)");
        }
        Ok(identity)
    }
}

/// The smallest whole factor (up to 1,000) that makes every `points` whole;
/// 1,000 when none does (each test's points then round to the nearest
/// thousandth, and the sums are still the sums of the rounded points).
pub fn scale(points: &[f64]) -> u64 {
    (1..=1000u64)
        .find(|k| points.iter().all(|p| ((p * *k as f64) - (p * *k as f64).round()).abs() < 1e-9))
        .unwrap_or(1000)
}

/// The `result.json` of one student: one test per row with integer points,
/// `score` and `max-score` their sums.
pub fn result(identity: &Identity, rows: &[Row]) -> Value {
    let k = scale(&rows.iter().map(|r| r.max).collect::<Vec<_>>()) as f64;
    let whole = |p: f64| (p * k).round() as u64;
    let tests: Vec<Value> = rows
        .iter()
        .map(|r| {
            let max = whole(r.max);
            let mut t = json!({
                "test-name": r.title(),
                "passed": r.passed(),
                "score": if r.passed() { max } else { 0 },
                "max-score": max,
            });
            if !r.message.is_empty() {
                t["message"] = Value::String(r.message.clone());
            }
            t
        })
        .collect();
    let score: u64 = tests.iter().filter_map(|t| t["score"].as_u64()).sum();
    let max: u64 = tests.iter().filter_map(|t| t["max-score"].as_u64()).sum();
    let mut result = json!({
        "schema": SCHEMA,
        "classroom": identity.classroom,
        "assignment": identity.assignment,
        "submission": identity.submission,
        "commit": identity.commit,
        "release": identity.release,
        "review": identity.review,
        "datetime": identity.datetime,
        "score": score,
        "max-score": max,
        "tests": tests,
    });
    if !identity.owner.is_empty() {
        result["owner"] = Value::String(identity.owner.clone());
    }
    if !identity.assignment_type.is_empty() {
        result["assignment_type"] = Value::String(identity.assignment_type.clone());
    }
    result
}

/// What Classroom 50's collector would reject in `result`, in its words;
/// `Ok` when it would take it. (`owner` and `assignment_type`, which the
/// runner stamps, are checked only when present.)
pub fn validate(result: &Value) -> Result<(), String> {
    let Some(o) = result.as_object() else { return Err("not a JSON object".into()) };
    if o.get("schema").and_then(Value::as_str) != Some(SCHEMA) {
        return Err(format!("'schema' must be {SCHEMA:?}"));
    }
    let text = |field: &str| o.get(field).and_then(Value::as_str).filter(|s| !s.is_empty());
    for field in ["classroom", "assignment", "commit", "release", "review", "datetime"] {
        if text(field).is_none() {
            return Err(format!("'{field}' must be a non-empty string"));
        }
    }
    if !text("submission").is_some_and(|s| s.starts_with("submit/")) {
        return Err("'submission' must be a 'submit/*' string".into());
    }
    for field in ["owner", "assignment_type"] {
        if o.contains_key(field) && text(field).is_none() {
            return Err(format!("'{field}' must be a non-empty string"));
        }
    }
    let whole = |v: Option<&Value>| v.and_then(Value::as_u64);
    let (Some(score), Some(max)) = (whole(o.get("score")), whole(o.get("max-score"))) else {
        return Err("'score' and 'max-score' must be non-negative integers".into());
    };
    if score > max {
        return Err(format!("score ({score}) > max-score ({max})"));
    }
    let Some(tests) = o.get("tests").and_then(Value::as_array) else {
        return Err("'tests' is not a list".into());
    };
    let (mut sum, mut sum_max) = (0, 0);
    for (i, t) in tests.iter().enumerate() {
        if t.get("test-name").and_then(Value::as_str).is_none_or(str::is_empty) {
            return Err(format!("'tests[{i}].test-name' must be a non-empty string"));
        }
        if !t.get("passed").is_some_and(Value::is_boolean) {
            return Err(format!("'tests[{i}].passed' must be a boolean"));
        }
        let (Some(s), Some(m)) = (whole(t.get("score")), whole(t.get("max-score"))) else {
            return Err(format!("'tests[{i}]' score and max-score must be non-negative integers"));
        };
        if s > m {
            return Err(format!("'tests[{i}].score' ({s}) > 'tests[{i}].max-score' ({m})"));
        }
        sum += s;
        sum_max += m;
    }
    if (sum, sum_max) != (score, max) {
        return Err(format!("score {score} of {max}, but the tests add up to {sum} of {sum_max}"));
    }
    let bytes = serde_json::to_vec(result).map(|b| b.len()).unwrap_or(usize::MAX);
    if bytes > MAX_BYTES {
        return Err(format!("{bytes} bytes, over the collector's {MAX_BYTES}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::platform::RowStatus;

    fn row(max: f64, status: RowStatus) -> Row {
        Row {
            exercise: "01".into(),
            name: "t".into(),
            hidden: false,
            points: if status == RowStatus::Pass { max } else { 0.0 },
            max,
            status,
            message: String::new(),
        }
    }

    #[test]
    fn fractional_points_become_whole_in_proportion() {
        assert_eq!(scale(&[1.0, 2.0]), 1);
        assert_eq!(scale(&[0.5, 1.0 / 3.0]), 6);
        assert_eq!(scale(&[0.1234567]), 1000);
    }

    #[test]
    fn a_result_passes_the_collectors_checks_and_sums_exactly() {
        let identity = Identity {
            classroom: "c".into(),
            assignment: "a".into(),
            submission: "submit/2026-12-07T10-00-00Z-abc1234".into(),
            commit: "https://x/commit/1".into(),
            release: "https://x/releases/tag/1".into(),
            review: "https://x/commit/1".into(),
            datetime: "2026-12-07T10:00:00Z".into(),
            ..Identity::default()
        };
        let rows =
            [row(0.5, RowStatus::Pass), row(0.5, RowStatus::Fail), row(1.0, RowStatus::NotRun)];
        let r = result(&identity, &rows);
        assert_eq!(validate(&r), Ok(()));
        assert_eq!((r["score"].as_u64(), r["max-score"].as_u64()), (Some(1), Some(4)));
        let mut bad = r.clone();
        bad["submission"] = json!("tag-1");
        assert!(validate(&bad).unwrap_err().contains("submit/"));
        bad = r.clone();
        bad["tests"][0]["score"] = json!(0.5);
        assert!(validate(&bad).is_err());
    }
}
