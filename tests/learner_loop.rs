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

/// Exercise `id`'s reference solution with its deeper parts left as the stub
/// has them: a learner who did the core path only.
fn core_only(id: &str) -> String {
    let manifest = common::manifest();
    let ex = manifest.find(id).unwrap();
    let solution = workbook::course::sources::solution(&root(), ex).unwrap();
    let parts: Vec<_> = ex.deeper.iter().collect();
    assert!(!parts.is_empty(), "exercise {id} has deeper parts");
    let (files, _) = workbook::course::verify::without_parts(&solution, &parts).unwrap();
    files[Path::new("lib.rs")].clone()
}

#[test]
fn the_map_shows_the_core_path_first_and_the_deeper_parts_waiting() {
    let dir = scratch("core-path");
    std::fs::write(dir.join("exercises/exercise-01/src/lib.rs"), core_only("01")).unwrap();
    let out = workbook(&dir).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("core done · deeper 0 of"), "exercise 01's row:\n{text}");
    assert!(text.contains("Next: exercise 02"), "the core path goes on:\n{text}");
    assert!(
        text.contains("Deeper parts waiting: 01 (loading your own CSV)"),
        "what waits is said:\n{text}"
    );
    let out = workbook(&dir).arg("--json").output().unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &rows[0]["progress"];
    assert_eq!(first["state"], "working", "{first}");
    assert_eq!(first["core_passed"], first["core_total"], "{first}");
    assert!(first["passed"].as_u64() < first["total"].as_u64(), "{first}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `check` on a learner who did the core path but one function: every
/// deeper test is marked with its part, the core is counted apart, and the
/// failure shown is the core's, though a deeper part's failing tests come
/// first in the list (exercise 01's `load::…` before its `plot::…`).
#[test]
fn check_counts_the_core_apart_and_shows_its_failure_first() {
    let dir = scratch("check-core");
    let signature =
        "pub fn plot_split(split: &Split, title: &str, path: &Path) -> Result<(), PlotError> {";
    let code = core_only("01");
    assert!(code.contains(signature), "exercise 01 still has plot_split");
    let skipped =
        format!("{signature}\n    if title.is_empty() || !title.is_empty() {{ return Ok(()); }}");
    std::fs::write(dir.join("exercises/exercise-01/src/lib.rs"), code.replace(signature, &skipped))
        .unwrap();
    let out = workbook(&dir).args(["check", "01"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "FAIL  house_prices_csv_loads_the_lectures_seven_houses  (deeper: loading your own CSV)"
        ),
        "a deeper test is marked with its part:\n{text}"
    );
    let core_line = text.lines().find(|l| l.starts_with("Core: ")).unwrap_or("");
    assert!(
        core_line.starts_with("Core: ") && core_line.ends_with("; deeper parts: 0 of 23."),
        "the core is counted apart: {core_line:?}\n{text}"
    );
    assert!(!core_line.starts_with("Core: 42 of 42"), "plot_split's tests fail: {core_line:?}");
    let shown = text.lines().find(|l| l.starts_with("The first test that does not pass yet is"));
    assert!(
        shown.is_some_and(|l| l.contains("plot_split") || l.contains("plot_of")),
        "the core's failure is shown, not the loader's: {shown:?}\n{text}"
    );
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
    // Exercise 03 was not asked for by name: its core is enough to move on.
    wait_for("Watching");
    std::fs::write(dir.join("exercises/exercise-03/src/lib.rs"), core_only("03")).unwrap();
    let core = wait_for("The core of exercise 03 is done!");
    assert!(core.contains("tests pass"), "{core}");
    let later = wait_for("Testing exercise 04");
    assert!(later.contains("cargo workbook watch 03"), "how to come back is said:\n{later}");
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The lines a running `watch` prints, as they come.
struct Screen {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
}

impl Screen {
    fn start(dir: &Path, args: &[&str]) -> Screen {
        let mut child =
            workbook(dir).args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Screen { child, lines }
    }

    /// The runs that start from now until the watch has waited, quiet, for
    /// `quiet` after its last run (at most three minutes in all).
    fn runs_until_quiet(&self, quiet: Duration) -> usize {
        let deadline = std::time::Instant::now() + Duration::from_secs(180);
        let (mut runs, mut waiting, mut seen) = (0, false, String::new());
        loop {
            // Before the first run and after the last one, only `quiet`;
            // during a run, as long as a build takes.
            let wait = if waiting || runs == 0 { quiet } else { Duration::from_secs(180) };
            match self.lines.recv_timeout(wait) {
                Ok(line) => {
                    if line.starts_with("Testing exercise") {
                        runs += 1;
                        waiting = false;
                    } else if line.starts_with("Watching") {
                        waiting = true;
                    }
                    seen.push_str(&line);
                    seen.push('\n');
                }
                Err(_) if waiting || runs == 0 => return runs,
                Err(_) => panic!("the watch stopped in the middle of a run:\n{seen}"),
            }
            assert!(std::time::Instant::now() < deadline, "the watch never settled:\n{seen}");
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn one_save_is_one_run_whatever_the_way_of_saving() {
    let dir = scratch("one-run");
    let lib = dir.join("exercises/exercise-02/src/lib.rs");
    let stub = std::fs::read_to_string(&lib).unwrap();
    let quiet = Duration::from_secs(3);
    // A file changed just before the watch starts: one run at the start.
    std::fs::write(&lib, format!("{stub}// changed before the watch\n")).unwrap();
    let screen = Screen::start(&dir, &["watch", "02", "--no-tui"]);
    assert_eq!(screen.runs_until_quiet(quiet), 1, "runs at the start");

    // Written in place.
    std::fs::write(&lib, format!("{stub}// saved in place\n")).unwrap();
    assert_eq!(screen.runs_until_quiet(quiet), 1, "runs after a save in place");

    // Written to a temporary file, then renamed over the file (many editors).
    let temporary = lib.with_file_name(".lib.rs.saving");
    std::fs::write(&temporary, format!("{stub}// saved by a rename\n")).unwrap();
    std::fs::rename(&temporary, &lib).unwrap();
    assert_eq!(screen.runs_until_quiet(quiet), 1, "runs after a save by rename");

    // Emptied, then written in several pieces.
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&lib).unwrap();
        let text = format!("{stub}// saved in pieces\n");
        for piece in text.as_bytes().chunks(text.len() / 3 + 1) {
            file.write_all(piece).unwrap();
            file.flush().unwrap();
            std::thread::sleep(Duration::from_millis(30));
        }
    }
    assert_eq!(screen.runs_until_quiet(quiet), 1, "runs after a save in several writes");

    // The same text saved again: nothing to test.
    std::fs::write(&lib, format!("{stub}// saved in pieces\n")).unwrap();
    assert_eq!(screen.runs_until_quiet(quiet), 0, "runs after saving the same text");
    drop(screen);
    let _ = std::fs::remove_dir_all(&dir);
}
