//! The learner's loop, tried as a learner would, on a scratch copy of the
//! course: `check` survives code that loops, overflows its stack, panics or
//! prints megabytes, and `watch` reruns the tests on save and moves on when
//! an exercise is done. These build an exercise, in a target directory kept
//! between runs (target/workbook/learner-loop-target).

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::root;

/// A scratch copy of the course whose exercises are the untouched stubs.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("learner-{name}-{}", std::process::id()));
    common::scratch_course(&dir, true);
    dir
}

fn workbook(dir: &Path) -> Command {
    let mut cmd = common::workbook_in(dir);
    cmd.env("CARGO_TARGET_DIR", root().join("target/workbook/learner-loop-target"));
    cmd
}

fn solution_02() -> String {
    std::fs::read_to_string(root().join("solutions/solution-02/src/lib.rs")).unwrap()
}

#[test]
fn check_reports_loops_crashes_panics_and_floods_and_goes_on() {
    let dir = scratch("check");
    let hostile = "    if x == 2.0 { loop { std::hint::spin_loop() } }\n\
                   if x == 3.0 { fn deep(n: u64) -> u64 { let f = std::hint::black_box([n; 64]); if n == 0 { 0 } else { f[1] + deep(n - 1) } } std::hint::black_box(deep(u64::MAX)); }\n\
                   if x == 500.0 { panic!(\"I give up\") }\n\
                   { use std::io::Write; let _ = std::io::stdout().write_all(&[b'x'; 1 << 20]); }\n";
    let anchor = "    w * x + b\n    // END SOLUTION";
    let code = solution_02().replace(anchor, &format!("{hostile}{anchor}"));
    std::fs::write(dir.join("exercises/exercise-02/src/lib.rs"), code).unwrap();
    let out =
        workbook(&dir).args(["--json", "--test-timeout", "3", "check", "02"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "some tests fail: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tests = report["outcome"]["tests"].as_array().unwrap();
    let statuses: Vec<&str> = tests.iter().map(|t| t["status"].as_str().unwrap()).collect();
    for wanted in ["passed", "failed", "timed_out", "crashed"] {
        assert!(statuses.contains(&wanted), "no test {wanted}: {statuses:?}");
    }
    let crash = tests.iter().find(|t| t["status"] == "crashed").unwrap();
    assert!(crash["message"].as_str().unwrap().contains("overflowed its stack"), "{crash}");
    let timeout = tests.iter().find(|t| t["status"] == "timed_out").unwrap();
    assert!(
        timeout["message"].as_str().unwrap().contains("did not finish within 3 s"),
        "{timeout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn code_that_does_not_compile_is_shown_with_the_compilers_words() {
    let dir = scratch("broken");
    let code = solution_02()
        .replace("    w * x + b\n    // END SOLUTION", "    w * x + b +\n    // END SOLUTION");
    std::fs::write(dir.join("exercises/exercise-02/src/lib.rs"), code).unwrap();
    let out = workbook(&dir).args(["check", "02"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("does not compile") && text.contains("error"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn watch_reruns_on_save_and_moves_on_when_the_exercise_is_done() {
    let dir = scratch("watch");
    let mut child = workbook(&dir)
        .args(["watch", "02", "--no-tui", "--poll"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for = |needle: &str| -> String {
        let mut seen = String::new();
        while let Ok(line) = rx.recv_timeout(Duration::from_secs(180)) {
            seen.push_str(&line);
            seen.push('\n');
            if line.contains(needle) {
                return seen;
            }
        }
        panic!("watch never printed {needle:?}; it printed:\n{seen}");
    };
    let first = wait_for("Watching");
    assert!(
        first.contains("0 of") && first.contains("still calls"),
        "the stub's first failure is shown:\n{first}"
    );
    std::fs::write(dir.join("exercises/exercise-02/src/lib.rs"), solution_02()).unwrap();
    let done = wait_for("Exercise 02 is done!");
    assert!(done.contains("tests pass"), "{done}");
    let next = wait_for("Testing exercise 03");
    assert!(next.contains("On to exercise 03"), "{next}");
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
