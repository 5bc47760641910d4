//! The course proves its own soundness, through the same grading engine that
//! learners and instructors use and the one `verify` that `dev verify` and
//! `grade --self-check` ask too. For every exercise:
//! - its reference solution passes 100 % of its tests (at least 10);
//! - its untouched stub compiles and fails every test, with a learner's message;
//! - every misconception (at least 4) fails a test whose message names it;
//! - the committed stub is the one made from the solution.
//!
//! And the manifest and the folders agree.

mod common;

use std::sync::OnceLock;

use common::root;
use workbook::course::manifest::Manifest;
use workbook::course::verify::{self, Checks};
use workbook::engine::Engine;

fn manifest() -> &'static Manifest {
    static M: OnceLock<Manifest> = OnceLock::new();
    M.get_or_init(common::manifest)
}

/// Runs [`verify::verify`] on exercise `id`, failing with every problem found.
fn exercise_is_sound(id: &str) {
    let ex = manifest().find(id).unwrap_or_else(|| panic!("course.toml has no exercise {id}"));
    let mut engine = Engine::new(&root());
    // Two slots, so that two exercises build at once: one build of an
    // exercise keeps about one core busy, and cargo runs two tests at a time
    // on the 2-core machine (a single slot made them wait for each other).
    engine.slot_count = 2;
    let v = verify::verify(&root(), ex, &Checks::all(), &|files| engine.run(ex, files)).unwrap();
    let problems: Vec<String> = v.problems.iter().map(|p| format!("- {p}")).collect();
    assert!(
        v.is_sound(),
        "exercise {id} has {} problem(s) (`cargo workbook dev verify {id}` shows the same):\n{}",
        problems.len(),
        problems.join("\n\n")
    );
    // The chapter's counts ("All 96 fail at first", "48 of them are the
    // core") are the exercise's.
    let chapter = root().join("book/src").join(&ex.chapter);
    let text = std::fs::read_to_string(&chapter).unwrap();
    let core = v.solution.tests().iter().filter(|t| ex.is_core(&t.name)).count();
    for (before, after, count) in
        [("All ", " fail at first", v.solution.total()), ("(", " of them are the core", core)]
    {
        for (at, _) in text.match_indices(after) {
            let number: String =
                text[..at].chars().rev().take_while(char::is_ascii_digit).collect();
            let number: String = number.chars().rev().collect();
            let said = text[..at - number.len()].ends_with(before);
            assert!(
                !said || number == count.to_string(),
                "{} says \"{before}{number}{after}\", but exercise {id} has {count}",
                chapter.display()
            );
        }
    }
}

#[test]
fn exercise_01_is_sound() {
    exercise_is_sound("01");
}

#[test]
fn exercise_02_is_sound() {
    exercise_is_sound("02");
}

#[test]
fn exercise_03_is_sound() {
    exercise_is_sound("03");
}

#[test]
fn exercise_04_is_sound() {
    exercise_is_sound("04");
}

#[test]
fn exercise_05_is_sound() {
    exercise_is_sound("05");
}

#[test]
fn exercise_06_is_sound() {
    exercise_is_sound("06");
}

#[test]
fn exercise_07_is_sound() {
    exercise_is_sound("07");
}

#[test]
fn exercise_08_is_sound() {
    exercise_is_sound("08");
}

#[test]
fn exercise_09_is_sound() {
    exercise_is_sound("09");
}

#[test]
fn exercise_10_is_sound() {
    exercise_is_sound("10");
}

#[test]
fn exercise_11_is_sound() {
    exercise_is_sound("11");
}

#[test]
fn every_exercise_of_the_manifest_is_checked_here() {
    let source = std::fs::read_to_string(root().join("tests/course.rs")).unwrap();
    for ex in &manifest().exercises {
        assert!(
            source.contains(&format!("fn exercise_{}_is_sound()", ex.id)),
            "exercise {} is in course.toml but tests/course.rs has no `exercise_{}_is_sound` test: add one",
            ex.id,
            ex.id
        );
    }
}

#[test]
fn manifest_and_folders_agree() {
    let m = manifest();
    for ex in &m.exercises {
        for dir in [ex.dir(), ex.solution_dir()] {
            assert!(
                root().join(&dir).join("Cargo.toml").is_file(),
                "exercise {}: {} has no Cargo.toml",
                ex.id,
                dir.display()
            );
        }
        assert!(
            root().join(&m.course.book).join("src").join(&ex.chapter).is_file(),
            "exercise {}: chapter {} missing",
            ex.id,
            ex.chapter
        );
    }
    let on_disk: Vec<String> = std::fs::read_dir(root().join("exercises"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("exercise-"))
        .collect();
    for name in on_disk {
        assert!(
            m.exercises.iter().any(|e| e.package() == name),
            "exercises/{name} is not listed in course.toml: add it there (the manifest is the one list of exercises)"
        );
    }
}
