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

/// Whether every folder from `/` to `path` lets other accounts pass.
fn passable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.ancestors()
        .all(|p| std::fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o001 != 0))
}

/// This machine's Rust toolchain and crate registry, where other accounts
/// can use them: as they are if they can, else a copy made of hard links (no
/// data is copied) kept in `target/` for the next run. On the development
/// machine they lie under `/root`, which only root may enter, as rustup puts
/// them when root installs it.
fn toolchain_for_accounts(target: &Path) -> (PathBuf, PathBuf) {
    let sysroot = Command::new("rustc").args(["--print", "sysroot"]).output().unwrap();
    let sysroot = PathBuf::from(String::from_utf8(sysroot.stdout).unwrap().trim());
    let version = Command::new("rustc").arg("--version").output().unwrap().stdout;
    let version: String = String::from_utf8_lossy(&version)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let base = target.join("accounts-toolchain").join(version.trim_end_matches('-'));
    let real_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
    if passable_by_others(&sysroot) && passable_by_others(&real_home.join("registry")) {
        // Installed where every account can use it (as the Gradescope
        // setup.sh installs it): nothing to copy.
        return (sysroot, real_home);
    }
    let (linked_sysroot, linked_home) = (base.join("sysroot"), base.join("cargo-home"));
    for (from, to) in [
        (sysroot, linked_sysroot.clone()),
        (real_home.join("registry"), linked_home.join("registry")),
    ] {
        if !to.exists() {
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            let partial = to.with_extension("partial");
            let _ = std::fs::remove_dir_all(&partial);
            // Hard links where the target folder is on the same file system,
            // else a copy.
            let copy = |how: &str| {
                let _ = std::fs::remove_dir_all(&partial);
                Command::new("cp").arg(how).arg(&from).arg(&partial).status().unwrap().success()
            };
            assert!(copy("-al") || copy("-a"), "cp -a {} {}", from.display(), partial.display());
            std::fs::rename(&partial, &to).unwrap();
        }
    }
    (linked_sysroot, linked_home)
}

/// The processes alive now whose real user id is in `ids`.
fn processes_of(ids: std::ops::Range<u32>) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else { continue };
        let uid = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|l| l.split_whitespace().next()?.parse::<u32>().ok());
        // A process killed but not yet reaped (a zombie) runs no more.
        let zombie = status.lines().any(|l| l.starts_with("State:") && l.contains('Z'));
        if uid.is_some_and(|u| ids.contains(&u)) && !zombie {
            found.push(status.lines().next().unwrap_or_default().to_string());
        }
    }
    found
}

#[test]
fn as_root_without_bubblewrap_the_code_runs_as_unprivileged_accounts() {
    // SAFETY: geteuid(2) has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: only root can run code as other accounts (CI runs as root)");
        return;
    }
    let dir = scratch("accounts");
    let repo_target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().to_path_buf();
    // The accounts must be able to reach the slots: under /tmp if this
    // clone's target folder is not passable.
    let target = if passable_by_others(&repo_target) {
        repo_target.clone()
    } else {
        let t = std::env::temp_dir().join("workbook-accounts-target");
        std::fs::create_dir_all(&t).unwrap();
        t
    };
    let (sysroot, cargo_home) = toolchain_for_accounts(&repo_target);
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["rustc", "cargo"] {
        std::os::unix::fs::symlink(sysroot.join("bin").join(tool), bin.join(tool)).unwrap();
    }
    // What an instructor's machine or the platform holds: a private folder
    // (like /root), the hidden tests, the results folder.
    let private = dir.join("private");
    std::fs::create_dir_all(&private).unwrap();
    let canary_text = format!("CANARY-ACCOUNTS-{}", std::process::id());
    std::fs::write(private.join("secret.txt"), &canary_text).unwrap();
    std::fs::set_permissions(&private, std::os::unix::fs::PermissionsExt::from_mode(0o700))
        .unwrap();
    let hidden = dir.join("hidden");
    std::fs::create_dir_all(hidden.join("exercise-02")).unwrap();
    std::fs::write(
        hidden.join("exercise-02/checks.rs"),
        "#[test]\nfn two_pairs() {\n    let got = exercise_02::predict(1.0, 0.0, 2.0);\n    assert_eq!(got, 2.0, \"SECRET-EXPECTED-VALUE 2.0\");\n}\n#[test]\nfn three_is_three() {\n    assert_eq!(exercise_02::predict(1.0, 0.0, 3.0), 3.0);\n}\n",
    )
    .unwrap();
    let results = dir.join("results");
    std::fs::create_dir_all(&results).unwrap();
    let result = results.join("results.json");
    // The submission: on x = 2, it tries each door and reports what opened,
    // then leaves a process behind that outlives its test.
    let slots = target.join("workbook/account-slots");
    let probe = format!(
        r#"if x == 2.0 {{
    fn walk(dir: &std::path::Path, found: &mut Vec<String>, unreadable: &mut usize) {{
        let Ok(entries) = std::fs::read_dir(dir) else {{ return }};
        for e in entries.flatten() {{
            let p = e.path();
            if p.is_dir() {{ walk(&p, found, unreadable); continue; }}
            match std::fs::read(&p) {{
                Err(_) => *unreadable += 1,
                Ok(bytes) => {{
                    // Written backwards: no binary holds the key itself.
                    let key: String = "DETCEPXE-TERCES".chars().rev().collect();
                    if String::from_utf8_lossy(&bytes).contains(&key) {{ found.push(p.display().to_string()); }}
                }}
            }}
        }}
    }}
    let (mut found, mut unreadable) = (Vec::new(), 0);
    walk(std::path::Path::new({slots:?}), &mut found, &mut unreadable);
    let canary = std::fs::read_to_string({canary:?}).is_ok();
    let hidden = std::fs::read_dir({hidden:?}).is_ok();
    let forged = std::fs::write({forged:?}, "{{}}").is_ok();
    let results = std::fs::write({result:?}, "{{}}").is_ok();
    let _ = std::process::Command::new("/bin/sh").args(["-c", "setsid sleep 300 >/dev/null 2>&1 &"]).status();
    panic!("PROBE canary read: {{canary}}; hidden listed: {{hidden}}; results written: {{results}} {{forged}}; found {{found:?}}; unreadable files: {{unreadable}}");
}}"#,
        slots = slots.display().to_string(),
        canary = private.join("secret.txt").display().to_string(),
        hidden = hidden.display().to_string(),
        forged = results.join("forged.json").display().to_string(),
        result = result.display().to_string(),
    );
    let sub = submission(&dir, "solution");
    let lib = sub.join("exercises/exercise-02/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    let anchor = "    w * x + b\n    // END SOLUTION";
    assert_eq!(text.matches(anchor).count(), 1);
    std::fs::write(&lib, text.replace(anchor, &format!("    {probe}\n{anchor}"))).unwrap();

    // Nothing of cargo's or rustup's, and no bwrap on the PATH.
    let gradescope = |sub: &Path, result: &Path| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_workbook"));
        cmd.args(["autograder", "run", "gradescope", "--exercises", "02", "--submission"])
            .arg(sub)
            .arg("--result")
            .arg(result)
            .current_dir(root())
            .env_clear()
            .env("PATH", &bin)
            .env("HOME", std::env::var_os("HOME").unwrap())
            .env("CARGO_HOME", &cargo_home)
            .env("CARGO_TARGET_DIR", &target)
            .env("NO_COLOR", "1");
        cmd
    };
    let out = gradescope(&sub, &result).arg("--hidden-tests").arg(&hidden).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("will run as this account"), "the accounts were used: {stderr}");
    let text = std::fs::read_to_string(&result).unwrap();
    let r: Value = serde_json::from_str(&text).unwrap();
    let tests = check_gradescope(&r);
    assert!(
        r["output"].as_str().unwrap().contains("as unprivileged accounts"),
        "the learner is told how the code ran: {r}"
    );
    let probes: Vec<&str> =
        tests.iter().filter_map(|t| t["output"].as_str()).filter(|o| o.contains("PROBE")).collect();
    assert!(!probes.is_empty(), "a public test called predict(…, 2.0): {r}");
    for probe in &probes {
        assert!(
            probe.contains("canary read: false")
                && probe.contains("hidden listed: false")
                && probe.contains("results written: false false")
                && probe.contains("found []"),
            "every door stayed shut: {probe}"
        );
    }
    assert!(
        !text.contains(&canary_text)
            && !text.contains("SECRET-EXPECTED")
            && !text.contains("fn two_pairs"),
        "{text}"
    );
    assert!(!results.join("forged.json").exists());
    let hidden_test =
        tests.iter().find(|t| t["name"].as_str().unwrap().contains("hidden")).unwrap();
    assert_eq!(hidden_test["visibility"], "after_published", "{hidden_test}");
    // The hidden-test account could run the hidden tests: one that does not
    // meet the probe passes.
    let three = tests.iter().find(|t| t["name"].as_str().unwrap().contains("three_is_three"));
    assert!(three.is_some_and(|t| t["score"] == t["max_score"]), "{three:?}");
    // Every public test that does not call predict(…, 2.0) passed.
    assert!(tests.iter().filter(|t| t["score"] == t["max_score"]).count() > 20, "{r}");
    let left = processes_of(61_000..62_000);
    assert!(left.is_empty(), "processes of the accounts outlived the grading: {left:?}");

    // Stopped with Ctrl-C while tests loop and each leaves a process behind
    // (outside its process group): nothing of the accounts is left.
    let looping = text_with("solution", |t: &str| {
        t.replace(
            anchor,
            &format!(
                "    let _ = std::process::Command::new(\"/bin/sh\").args([\"-c\", \"setsid sleep 300 >/dev/null 2>&1 &\"]).status();\n    loop {{ std::hint::black_box(x); }}\n{}",
                anchor.replace("    w * x + b\n", "")
            ),
        )
    });
    std::fs::write(&lib, looping).unwrap();
    let grading = gradescope(&sub, &results.join("stopped.json"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    // Until a test has left its process behind.
    while !processes_of(61_000..62_000).iter().any(|p| p.ends_with("sleep")) {
        assert!(started.elapsed().as_secs() < 120, "no test started within 2 minutes");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    // SAFETY: kill(2) on the child this test started.
    unsafe { libc::kill(grading.id() as libc::pid_t, libc::SIGINT) };
    let stopped = grading.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&stopped.stderr);
    assert!(!stopped.status.success() && stderr.contains("interrupted"), "{stderr}");
    let left = processes_of(61_000..62_000);
    assert!(left.is_empty(), "processes of the accounts outlived Ctrl-C: {left:?}");
    assert!(!results.join("stopped.json").exists(), "nothing is written when stopped");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The text of `base`'s lib.rs for exercise 02, changed by `change`.
fn text_with(base: &str, change: impl Fn(&str) -> String) -> String {
    let text = exercise_02(base).remove(Path::new("lib.rs")).unwrap();
    change(&text)
}
