//! The course proves its own consistency, through the same grading engine
//! that learners and instructors use:
//! - every reference solution passes 100 % of its exercise's tests;
//! - every untouched stub compiles and fails every test (no test passes for free);
//! - every misconception fails at least one test whose message names it;
//! - the committed stubs are the ones made from the solutions;
//! - the manifest and the folders agree.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use workbook::engine::{Engine, Outcome, Status};
use workbook::manifest::{Manifest, short_name};
use workbook::{misconception, sources};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn manifest() -> &'static Manifest {
    static M: OnceLock<Manifest> = OnceLock::new();
    M.get_or_init(|| Manifest::load(&root()).expect("course.toml loads"))
}

fn engine() -> Engine {
    Engine::new(&root())
}

#[test]
fn every_solution_passes_all_its_tests() {
    let engine = engine();
    for ex in &manifest().exercises {
        let report = engine.run(ex, &sources::solution(&root(), ex).unwrap()).unwrap();
        match &report.outcome {
            Outcome::BuildFailed { diagnostics } => {
                panic!("solution {} does not compile:\n{diagnostics}", ex.id)
            }
            Outcome::Tested { tests } => {
                let failed: Vec<_> = tests
                    .iter()
                    .filter(|t| t.status != Status::Passed)
                    .map(|t| format!("{} ({:?}): {}", t.name, t.status, t.message))
                    .collect();
                assert!(
                    failed.is_empty(),
                    "solution {} fails {} test(s):\n{}",
                    ex.id,
                    failed.len(),
                    failed.join("\n\n")
                );
                assert!(tests.len() >= 10, "exercise {} has only {} tests", ex.id, tests.len());
            }
        }
    }
}

#[test]
fn every_stub_compiles_and_fails_every_test() {
    let engine = engine();
    for ex in &manifest().exercises {
        let report = engine.run(ex, &sources::stub(&root(), ex).unwrap()).unwrap();
        match &report.outcome {
            Outcome::BuildFailed { diagnostics } => {
                panic!("the stub of exercise {} does not compile:\n{diagnostics}", ex.id)
            }
            Outcome::Tested { tests } => {
                let free: Vec<_> = tests
                    .iter()
                    .filter(|t| t.status == Status::Passed)
                    .map(|t| t.name.as_str())
                    .collect();
                assert!(
                    free.is_empty(),
                    "exercise {}: these tests pass on the untouched stub: {free:?}",
                    ex.id
                );
                for t in tests {
                    assert_eq!(
                        t.status,
                        Status::Failed,
                        "exercise {} test {} on the stub: {}",
                        ex.id,
                        t.name,
                        t.message
                    );
                    assert!(
                        t.message.contains(&workbook::stub::todo_call())
                            || t.message.contains("hint:"),
                        "exercise {} test {} fails on the stub without a learner message: {}",
                        ex.id,
                        t.name,
                        t.message
                    );
                }
            }
        }
    }
}

#[test]
fn every_misconception_is_caught_by_a_test_that_names_it() {
    let engine = engine();
    for ex in &manifest().exercises {
        let solution = sources::solution(&root(), ex).unwrap();
        let all = misconception::load_all(&root(), ex).unwrap();
        assert!(
            all.len() >= 4,
            "exercise {} has {} misconceptions; the catalogue needs at least 4",
            ex.id,
            all.len()
        );
        for m in all {
            let wrong = m.apply(&solution).unwrap();
            let report = engine.run(ex, &wrong).unwrap();
            let tests = match &report.outcome {
                Outcome::BuildFailed { diagnostics } => {
                    panic!(
                        "misconception {}/{} does not compile, so it teaches nothing:\n{diagnostics}",
                        ex.id, m.name
                    )
                }
                Outcome::Tested { tests } => tests,
            };
            let failing: Vec<_> = tests.iter().filter(|t| t.status != Status::Passed).collect();
            assert!(
                !failing.is_empty(),
                "misconception {}/{} ({}) passes every test: no test catches it",
                ex.id,
                m.name,
                m.title
            );
            assert!(
                failing.iter().any(|t| t.message.contains(&m.hint)),
                "misconception {}/{} ({}) fails {:?}, but no failure message contains its hint {:?}",
                ex.id,
                m.name,
                m.title,
                failing.iter().map(|t| short_name(&t.name)).collect::<Vec<_>>(),
                m.hint
            );
        }
    }
}

#[test]
fn committed_stubs_are_made_from_the_solutions() {
    for ex in &manifest().exercises {
        let made = sources::stub(&root(), ex).unwrap();
        let committed = sources::learner(&root(), ex).unwrap();
        assert!(
            sources::same(&made, &committed),
            "{}/src is not the stub made from {}/src.\n\
             Course authors: run `cargo workbook dev sync-stubs` after changing a solution.\n\
             Learners: this is expected once you have edited the exercise; it does not affect your work.",
            ex.dir().display(),
            ex.solution_dir().display()
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
    let _ = Path::new("");
}
