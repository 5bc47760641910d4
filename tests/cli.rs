//! The learner's commands, tried as a learner would, on a scratch copy of the
//! course (so the real exercises are never touched). None of these needs a
//! build of an exercise.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::text;
use workbook::course::manifest::Manifest;
use workbook::course::sources;

/// A scratch copy of the course: manifest, Cargo files, exercises and solutions.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("workbook-cli-{name}-{}", std::process::id()));
        common::scratch_course(&dir, false);
        Scratch { dir }
    }

    fn run(&self, args: &[&str]) -> Output {
        common::workbook_in(&self.dir).args(args).output().expect("the workbook binary runs")
    }

    fn lib(&self, id: &str) -> PathBuf {
        self.dir.join(format!("exercises/exercise-{id}/src/lib.rs"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn reset_backs_up_the_learners_work_and_undo_brings_it_back() {
    let s = Scratch::new("reset");
    let stub = std::fs::read_to_string(s.lib("01")).unwrap();
    let mine = format!("{stub}\n// my work in progress\n");
    std::fs::write(s.lib("01"), &mine).unwrap();

    let out = s.run(&["reset", "01"]);
    assert!(out.status.success(), "{}", text(&out));
    let backups = Path::new(".workbook").join("backups").join("exercise-01");
    assert!(
        text(&out).contains(&backups.display().to_string()),
        "reset names the backup folder, in this system's form ({}): {}",
        backups.display(),
        text(&out)
    );
    assert_eq!(std::fs::read_to_string(s.lib("01")).unwrap(), stub, "reset puts the stub back");

    let out = s.run(&["reset", "01"]);
    assert!(text(&out).contains("nothing to reset"), "{}", text(&out));

    let out = s.run(&["reset", "--undo", "01"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(s.lib("01")).unwrap(),
        mine,
        "undo restores the learner's files"
    );
}

#[test]
fn undo_without_a_backup_is_a_clear_error() {
    let s = Scratch::new("undo");
    let out = s.run(&["reset", "--undo", "02"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("no backup to restore"), "{}", text(&out));
}

#[test]
fn hints_come_in_steps_and_end_at_the_solution() {
    let s = Scratch::new("hint");
    let manifest = Manifest::load(&s.dir).unwrap();
    let ex = manifest.find("02").unwrap();
    let steps = ex.hints.len() + 1;
    let mut seen = Vec::new();
    for _ in 0..steps + 1 {
        let out = s.run(&["hint", "2"]);
        assert!(out.status.success(), "{}", text(&out));
        seen.push(text(&out));
    }
    assert!(seen[0].contains(&ex.hints[0]), "the first hint is the nudge: {}", seen[0]);
    assert!(seen[0].contains(&format!("hint 1 of {steps}")), "{}", seen[0]);
    assert!(seen[1].contains(&ex.hints[1]), "the second call shows the next step: {}", seen[1]);
    assert!(
        seen[steps - 1].contains("solutions/solution-02/src"),
        "the last step points at the solution: {}",
        seen[steps - 1]
    );
    assert_eq!(seen[steps], seen[steps - 1], "after the last step, the last step repeats");
}

#[test]
fn a_broken_state_file_is_kept_and_reported() {
    let s = Scratch::new("state");
    std::fs::create_dir_all(s.dir.join(".workbook")).unwrap();
    std::fs::write(s.dir.join(".workbook/state.json"), "{{ this is not json").unwrap();
    let out = s.run(&["hint", "01"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("did not parse"), "{}", text(&out));
    let kept =
        std::fs::read_dir(s.dir.join(".workbook")).unwrap().filter_map(|e| e.ok()).any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("state.json.broken-")
                && std::fs::read_to_string(e.path()).unwrap().contains("this is not json")
        });
    assert!(kept, "the broken file is kept aside, not overwritten");
}

#[test]
fn a_broken_manifest_is_a_clear_error() {
    let s = Scratch::new("manifest");
    std::fs::write(s.dir.join("course.toml"), "[course]\ntitle = \"x\"\n[[exercise]]\nid = 1\n")
        .unwrap();
    let out = s.run(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("course.toml is not valid"), "{}", text(&out));
    assert!(
        text(&out).contains("git checkout"),
        "the message says how to get the course's version back: {}",
        text(&out)
    );
}

#[test]
fn a_missing_exercise_folder_is_shown_as_missing_on_the_map() {
    let s = Scratch::new("missing");
    std::fs::remove_dir_all(s.dir.join("exercises/exercise-02/src")).unwrap();
    let out = s.run(&[]);
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("missing"), "{t}");
    assert!(t.contains("not started"), "exercise 01 is still shown: {t}");
}

#[test]
fn an_unknown_exercise_lists_the_ones_that_exist() {
    let s = Scratch::new("unknown");
    let out = s.run(&["hint", "99"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("there is no exercise \"99\"; the course has 01, 02"),
        "{}",
        text(&out)
    );
}

#[test]
fn the_solution_asks_before_the_exercise_is_done_and_shows_with_yes() {
    let s = Scratch::new("solution");
    let out = s.run(&["solution", "01"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "without a terminal and without --yes it refuses: {}",
        text(&out)
    );
    assert!(text(&out).contains("--yes"), "{}", text(&out));

    let out = s.run(&["solution", "01", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    let file = Path::new("solutions").join("solution-01").join("src").join("lib.rs");
    assert!(t.contains(&file.display().to_string()), "{t}");
    assert!(!t.contains("BEGIN SOLUTION"), "the markers are not shown: {t}");

    let out = s.run(&["solution", "01", "--diff", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("@@"), "a unified diff: {}", text(&out));
}

#[test]
fn the_map_of_an_untouched_course_shows_every_exercise_not_started() {
    let s = Scratch::new("map");
    let out = s.run(&["--json"]);
    assert!(out.status.success(), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let manifest = Manifest::load(&s.dir).unwrap();
    assert_eq!(v.as_array().unwrap().len(), manifest.exercises.len());
    for (row, ex) in v.as_array().unwrap().iter().zip(&manifest.exercises) {
        assert_eq!(row["id"], ex.id.as_str());
        assert_eq!(row["progress"]["state"], "not_started", "{row}");
        assert!(sources::same(
            &sources::learner(&s.dir, ex).unwrap(),
            &sources::stub(&s.dir, ex).unwrap()
        ));
    }
}

#[test]
fn a_reset_killed_at_any_moment_loses_nothing() {
    // Kill `reset` after ever longer delays: whatever moment it stops at,
    // the learner's file is either untouched or the stub, and in the second
    // case a complete backup of the learner's work exists.
    let s = Scratch::new("killed-reset");
    let stub = std::fs::read_to_string(s.lib("02")).unwrap();
    for attempt in 0..25u64 {
        let mine = format!("{stub}\n// work in progress, attempt {attempt}\n");
        std::fs::write(s.lib("02"), &mine).unwrap();
        let mut child = common::workbook_in(&s.dir)
            .args(["reset", "02"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(attempt * 400));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read_to_string(s.lib("02")).unwrap();
        assert!(
            now == mine || now == stub,
            "attempt {attempt}: the file is neither the learner's nor the stub"
        );
        if now == stub {
            let backups = s.dir.join(".workbook/backups/exercise-02");
            let saved = std::fs::read_dir(&backups).unwrap().filter_map(|e| e.ok()).any(|e| {
                std::fs::read_to_string(e.path().join("src/lib.rs")).is_ok_and(|t| t == mine)
            });
            assert!(
                saved,
                "attempt {attempt}: the stub is back but the learner's work was not saved"
            );
        }
    }
}

#[test]
fn a_second_watch_of_the_same_course_is_refused() {
    let s = Scratch::new("two-watches");
    let first = workbook::learner::watch::lock(&s.dir).unwrap();
    let err = workbook::learner::watch::lock(&s.dir).unwrap_err().to_string();
    assert!(err.contains("another `cargo workbook watch` is already running"), "{err}");
    drop(first);
    // Another test's child process, forked but not yet started, can hold a
    // copy of the lock's file for a moment (flock belongs to the open file,
    // which fork shares until exec closes it): try again for up to 5 s.
    let free = (0..100).any(|_| {
        let free = workbook::learner::watch::lock(&s.dir).is_ok();
        if !free {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        free
    });
    assert!(free, "the lock is free again once the first watch ends");
}

/// Every `.rs`, `.toml` and `.md` file under `dir` with `\r\n` line ends, as
/// git's `core.autocrlf` checks a course out on Windows.
fn to_crlf(dir: &Path) {
    let skip = |rel: &Path| rel.file_name().is_some_and(|n| n == "target");
    for f in workbook::util::fs::walk(dir, &skip).unwrap() {
        let text_file = f.path.extension().is_some_and(|e| e == "rs" || e == "toml" || e == "md");
        if text_file {
            let text = std::fs::read_to_string(&f.path).unwrap();
            std::fs::write(&f.path, text.replace("\r\n", "\n").replace('\n', "\r\n")).unwrap();
        }
    }
}

#[test]
fn a_crlf_checkout_is_not_a_change() {
    let s = Scratch::new("crlf");
    to_crlf(&s.dir);
    // A learner's editor that saves with \n: exercise 02 back to \n.
    let lib_02 = std::fs::read_to_string(s.lib("02")).unwrap();
    std::fs::write(s.lib("02"), lib_02.replace("\r\n", "\n")).unwrap();

    let out = s.run(&["--json"]);
    assert!(out.status.success(), "{}", text(&out));
    let map: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for row in map.as_array().unwrap() {
        assert_eq!(
            row["progress"]["state"], "not_started",
            "a stub that differs from the solution's stub only in line ends is not started: {row}"
        );
    }

    let stub = std::fs::read_to_string(s.lib("01")).unwrap();
    let out = s.run(&["reset", "01"]);
    assert!(text(&out).contains("nothing to reset"), "{}", text(&out));
    std::fs::write(s.lib("01"), format!("{stub}// my work\r\n")).unwrap();
    let out = s.run(&["reset", "01"]);
    assert!(out.status.success(), "{}", text(&out));
    let now = std::fs::read_to_string(s.lib("01")).unwrap();
    let first_difference = now.bytes().zip(stub.bytes()).position(|(a, b)| a != b);
    assert!(
        now == stub,
        "reset writes the stub with the checkout's line ends, byte for byte; they differ from byte {first_difference:?}: {:?}",
        first_difference.and_then(|i| now.get(i.saturating_sub(40)..(i + 10).min(now.len())))
    );

    // The learner's code is the solution, saved with \n: no difference.
    let manifest = Manifest::load(&s.dir).unwrap();
    let ex = manifest.find("03").unwrap();
    for (rel, text) in workbook::learner::solution_for_reading(&s.dir, ex).unwrap() {
        assert!(text.contains("\r\n"), "the solution is checked out with \\r\\n");
        let path = s.dir.join(ex.dir()).join("src").join(rel);
        std::fs::write(path, text.replace("\r\n", "\n")).unwrap();
    }
    let out = s.run(&["solution", "03", "--diff", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Your code is the same as the reference solution"),
        "line ends are not a difference: {}",
        text(&out)
    );

    let out = s.run(&["solution", "04", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("SOLUTION"), "the markers are not shown: {}", text(&out));

    let out = s.run(&["hint", "01", "--json"]);
    assert!(out.status.success(), "{}", text(&out));
}

#[cfg(any(not(target_os = "linux"), workbook_portable))]
#[test]
fn grading_says_it_runs_only_on_linux() {
    let s = Scratch::new("grade");
    std::fs::create_dir_all(s.dir.join("submissions")).unwrap();
    for args in [&["grade", "--self-check"][..], &["grade", "submissions", "--out", "out"]] {
        let out = s.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        let t = text(&out);
        assert!(t.contains("grading a class runs only on Linux"), "{args:?}: {t}");
        assert!(t.contains("WSL 2"), "{args:?}: what to do instead: {t}");
    }
}
