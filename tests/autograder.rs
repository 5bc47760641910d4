//! The grading platforms, as an instructor would try them: `scripts/try-autograder`
//! runs the Classroom 50 bundle and the Gradescope zip in a folder laid out as
//! each platform lays it out, on a reference solution, an untouched stub and
//! a wrong answer; the result files are checked against each platform's
//! documented fields, types and sums (written out here, independently of the
//! grader's own code). And `grade --junit` writes one well-formed JUnit file
//! per student.
//!
//! Exercise 02 only, to keep the time modest. Linux only: elsewhere, and on
//! the portable path, grading refuses to run (tests/cli.rs checks it).
#![cfg(all(target_os = "linux", not(workbook_portable)))]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{manifest, root};
use serde_json::Value;
use workbook::course::{misconception, sources};

/// A scratch folder of this test process, empty.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("autograder-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Exercise 02's `src/` for `base`: `solution`, `stub`, or a misconception's name.
fn exercise_02(base: &str) -> sources::Sources {
    let root = root();
    let manifest = manifest();
    let ex = manifest.find("02").unwrap();
    match base {
        "solution" => sources::solution(&root, ex).unwrap(),
        "stub" => sources::stub(&root, ex).unwrap(),
        name => misconception::load_all(&root, ex)
            .unwrap()
            .into_iter()
            .find(|m| m.name == name)
            .expect("a known misconception")
            .apply(&sources::solution(&root, ex).unwrap())
            .unwrap(),
    }
}

/// A student's copy of the course, as far as the grader reads it:
/// `exercises/exercise-02/src` holding `base`.
fn submission(dir: &Path, base: &str) -> PathBuf {
    let sub = dir.join(base);
    for (rel, text) in exercise_02(base) {
        let path = sub.join("exercises/exercise-02/src").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    sub
}

/// `scripts/try-autograder PLATFORM SUBMISSION -- ARGS`: its standard output
/// (the result file) as JSON. The scripts run the `workbook` binary cargo
/// built for these tests, and the unpacked course builds into this target
/// folder (where the other grader tests' builds already are).
fn try_autograder(platform: &str, submission: &Path, args: &[&str]) -> Value {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap();
    let out = Command::new(root().join("scripts/try-autograder"))
        .arg(platform)
        .arg(submission)
        .arg("--")
        .args(["--exercises", "02"])
        .args(args)
        .env("WORKBOOK_BIN", env!("CARGO_BIN_EXE_workbook"))
        .env("CARGO_TARGET_DIR", target)
        .env("NO_COLOR", "1")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO")
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "try-autograder {platform} failed:\n{stderr}");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{stderr}", String::from_utf8_lossy(&out.stdout)))
}

/// A non-negative integer that is not a float in disguise (`3`, not `3.0`).
fn whole(v: &Value) -> Option<u64> {
    v.is_u64().then(|| v.as_u64().unwrap())
}

/// What Classroom 50's collector checks (foundation50/classroom50,
/// collect_scores.py `validate_result`, and the wiki's result.json table),
/// and the sums: panics naming the first field that breaks them.
fn check_classroom50(r: &Value) -> Vec<(String, bool, u64, u64)> {
    assert_eq!(r["schema"], "classroom50/result/v1");
    for field in ["classroom", "assignment", "commit", "release", "review", "datetime"] {
        assert!(r[field].as_str().is_some_and(|s| !s.is_empty()), "{field}: {}", r[field]);
    }
    assert!(r["submission"].as_str().unwrap().starts_with("submit/"));
    let (score, max) = (whole(&r["score"]).unwrap(), whole(&r["max-score"]).unwrap());
    assert!(score <= max);
    let tests: Vec<(String, bool, u64, u64)> = r["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let name = t["test-name"].as_str().unwrap().to_string();
            assert!(!name.is_empty());
            let (s, m) = (whole(&t["score"]).unwrap(), whole(&t["max-score"]).unwrap());
            assert!(s <= m, "{t}");
            (name, t["passed"].as_bool().unwrap(), s, m)
        })
        .collect();
    assert_eq!(score, tests.iter().map(|t| t.2).sum::<u64>(), "score is the tests' sum");
    assert_eq!(max, tests.iter().map(|t| t.3).sum::<u64>(), "max-score is the tests' sum");
    assert!(serde_json::to_vec(r).unwrap().len() < 10 << 20, "the collector reads ≤ 10 MiB");
    tests
}

#[test]
fn the_classroom50_autograder_grades_a_push_into_a_result_the_collector_takes() {
    let dir = scratch("classroom50");
    let solution = try_autograder("classroom50", &submission(&dir, "solution"), &[]);
    let stub = try_autograder("classroom50", &submission(&dir, "stub"), &[]);
    let wrong = try_autograder("classroom50", &submission(&dir, "mean_over_n_minus_1"), &[]);
    let (s, t, w) =
        (check_classroom50(&solution), check_classroom50(&stub), check_classroom50(&wrong));
    assert!(s.len() > 10 && s.iter().all(|t| t.1 && t.2 == t.3), "the solution passes all");
    assert_eq!(solution["score"], solution["max-score"]);
    let names = |r: &[(String, bool, u64, u64)]| r.iter().map(|t| t.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&s), names(&t), "every test is listed, graded or not");
    assert_eq!(names(&s), names(&w));
    assert_eq!((stub["score"].as_u64(), &stub["max-score"]), (Some(0), &solution["max-score"]));
    let failed: Vec<&Value> =
        wrong["tests"].as_array().unwrap().iter().filter(|t| t["passed"] == false).collect();
    assert!(!failed.is_empty() && wrong["score"].as_u64() > Some(0), "{wrong}");
    assert!(
        failed.iter().any(|t| t["message"].as_str().unwrap_or("").contains("n − 1")),
        "a failed test carries the learner's message and hint: {failed:?}"
    );
    assert!(solution["tests"][0]["test-name"].as_str().unwrap().starts_with("02: "));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Gradescope's specification (gradescope/autograder_samples, docs/specs.md):
/// the fields, their types, the visibilities, and the score as the sum.
fn check_gradescope(r: &Value) -> &Vec<Value> {
    let tests = r["tests"].as_array().unwrap();
    let mut sum = 0.0;
    for t in tests {
        let (score, max) = (t["score"].as_f64().unwrap(), t["max_score"].as_f64().unwrap());
        assert!((0.0..=max).contains(&score), "{t}");
        for field in ["name", "number", "output"] {
            assert!(t[field].is_string(), "{field} of {t}");
        }
        let visibility = t["visibility"].as_str().unwrap();
        assert!(["visible", "hidden", "after_due_date", "after_published"].contains(&visibility));
        sum += score;
    }
    assert_eq!(r["score"].as_f64().unwrap(), sum, "the score is the tests' sum");
    assert!(r["output"].is_string() && r["execution_time"].is_u64());
    tests
}

#[test]
fn the_gradescope_autograder_grades_a_submission_and_keeps_hidden_tests_until_published() {
    let dir = scratch("gradescope");
    let solution = try_autograder("gradescope", &submission(&dir, "solution"), &[]);
    let stub = try_autograder("gradescope", &submission(&dir, "stub"), &[]);
    let (s, t) = (check_gradescope(&solution), check_gradescope(&stub));
    assert!(s.len() > 10 && s.iter().all(|t| t["score"] == t["max_score"]), "{solution}");
    assert_eq!(s.len(), t.len());
    assert_eq!(stub["score"].as_f64(), Some(0.0));
    assert!(t.iter().all(|t| t["output"].as_str().unwrap().contains("untouched stub")));

    // A wrong answer, handed in as a .zip, with a hidden test of the instructor's.
    let hidden = dir.join("hidden/exercise-02");
    std::fs::create_dir_all(&hidden).unwrap();
    std::fs::write(
        hidden.join("extra.rs"),
        "use exercise_02::mean_squared_error;\n#[test]\nfn thousand_errors_of_two() {\n    let secret_expected_value = 4.0;\n    assert_eq!(mean_squared_error(&[3.0; 1000], &[1.0; 1000]).unwrap(), secret_expected_value);\n}\n",
    )
    .unwrap();
    std::fs::write(
        hidden.join("descriptions.toml"),
        "thousand_errors_of_two = \"the mean squared error of a thousand errors of 2 is 4\"\n",
    )
    .unwrap();
    let wrong = submission(&dir, "mean_over_n_minus_1");
    let zip = Command::new("zip")
        .args(["-qr", "../wrong.zip", "exercises"])
        .current_dir(&wrong)
        .status()
        .unwrap();
    assert!(zip.success());
    let handed_in = dir.join("handed-in");
    std::fs::create_dir_all(&handed_in).unwrap();
    std::fs::rename(dir.join("wrong.zip"), handed_in.join("wrong.zip")).unwrap();
    let hidden_dir = dir.join("hidden");
    let graded =
        try_autograder("gradescope", &handed_in, &["--hidden-tests", hidden_dir.to_str().unwrap()]);
    let tests = check_gradescope(&graded);
    assert_eq!(tests.len(), s.len() + 1, "the hidden test is graded too");
    let secret = tests.iter().find(|t| t["name"].as_str().unwrap().contains("hidden")).unwrap();
    assert_eq!(secret["visibility"], "after_published", "{secret}");
    assert!(
        secret["output"].as_str().unwrap().contains("a thousand errors of 2"),
        "students see the description: {secret}"
    );
    let output = graded["output"].as_str().unwrap();
    assert!(
        !output.contains("errors of 2")
            && !output.contains("thousand_errors")
            && output.contains("hidden tests are not counted"),
        "the submission's output, always shown, says nothing of the hidden test: {output}"
    );
    let text = graded.to_string();
    assert!(!text.contains("secret_expected_value") && !text.contains("assert_eq!"));
    assert!(tests.iter().any(|t| t["output"].as_str().unwrap().contains("n − 1")), "{graded}");
    assert!(graded["score"].as_f64().unwrap() > 0.0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// What Python's XML parser makes of a JUnit file: per suite, the counts
/// it declares and the verdicts of its test cases.
fn parse_junit(path: &Path) -> Value {
    let script = r#"
import json, sys, xml.etree.ElementTree as E
root = E.parse(sys.argv[1]).getroot()
suites = []
for s in root.iter("testsuite"):
    cases = []
    for c in s.iter("testcase"):
        verdict = "pass"
        message = ""
        for kind in ("failure", "error", "skipped"):
            e = c.find(kind)
            if e is not None:
                verdict, message = kind, (e.text or "")
        cases.append({"name": c.get("name"), "verdict": verdict, "message": message})
    suites.append({k: s.get(k) for k in ("name", "tests", "failures", "errors", "skipped")} | {"cases": cases})
print(json.dumps({"name": root.get("name"), "tests": root.get("tests"), "suites": suites}))
"#;
    let out = Command::new("python3").arg("-c").arg(script).arg(path).output().unwrap();
    assert!(out.status.success(), "not well-formed XML: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn grade_writes_one_well_formed_junit_file_per_student() {
    let dir = scratch("junit");
    let subs = dir.join("submissions");
    std::fs::create_dir_all(&subs).unwrap();
    for (id, base) in [("ada", "solution"), ("bob", "stub"), ("cat", "mean_over_n_minus_1")] {
        std::fs::rename(submission(&dir, base), subs.join(id)).unwrap();
    }
    let junit = dir.join("junit");
    let out = Command::new(env!("CARGO_BIN_EXE_workbook"))
        .args(["grade", "--exercises", "02", "--out"])
        .arg(dir.join("grades"))
        .arg("--junit")
        .arg(&junit)
        .arg(&subs)
        .current_dir(root())
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let files: BTreeSet<String> = std::fs::read_dir(&junit)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["ada.xml", "bob.xml", "cat.xml"].map(String::from).into());
    let count = |v: &Value, verdict: &str| {
        v["suites"][0]["cases"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["verdict"] == verdict)
            .count()
    };
    let ada = parse_junit(&junit.join("ada.xml"));
    let n = ada["suites"][0]["cases"].as_array().unwrap().len();
    assert!(n > 10 && count(&ada, "pass") == n, "{ada}");
    assert_eq!(ada["suites"][0]["name"], "exercise-02");
    let bob = parse_junit(&junit.join("bob.xml"));
    assert_eq!(count(&bob, "skipped"), n, "the stub's tests never ran: {bob}");
    assert_eq!(bob["suites"][0]["skipped"], n.to_string());
    let cat = parse_junit(&junit.join("cat.xml"));
    let failures = count(&cat, "failure");
    assert!(failures > 0 && failures < n, "{cat}");
    assert_eq!(cat["suites"][0]["failures"], failures.to_string(), "declared counts match");
    let messages = cat["suites"][0]["cases"].as_array().unwrap();
    assert!(
        messages.iter().any(|c| c["message"].as_str().unwrap().contains("n − 1")),
        "a failure carries the learner's message"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn on_a_platform_without_bubblewrap_the_autograder_grades_and_says_so() {
    let dir = scratch("no-bwrap");
    // A PATH with cargo and rustc, and no bwrap.
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["rustc", "cargo"] {
        let found = std::env::split_paths(&std::env::var_os("PATH").unwrap())
            .map(|d| d.join(tool))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("{tool} is on the PATH"));
        std::os::unix::fs::symlink(found, bin.join(tool)).unwrap();
    }
    let result = dir.join("results.json");
    let out = Command::new(env!("CARGO_BIN_EXE_workbook"))
        .args(["autograder", "run", "gradescope", "--exercises", "02", "--submission"])
        .arg(submission(&dir, "solution"))
        .arg("--result")
        .arg(&result)
        .current_dir(root())
        .env("PATH", &bin)
        .env("NO_COLOR", "1")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("grading without the sandbox"), "{stderr}");
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&result).unwrap()).unwrap();
    let tests = check_gradescope(&r);
    assert!(tests.iter().all(|t| t["score"] == t["max_score"]), "{r}");
    assert!(
        r["output"].as_str().unwrap().contains("without a sandbox"),
        "the learner is told: {r}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
