//! What the course's own tests share: where the course is, scratch copies of
//! it, and running the `workbook` binary as a user would.
//!
//! Each test file includes this module (`mod common;`) and uses part of it,
//! hence the `dead_code` allowance.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use workbook::course::manifest::Manifest;
use workbook::course::sources;
use workbook::util::fs::walk;

/// The course: the folder holding `course.toml`.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn manifest() -> Manifest {
    Manifest::load(&root()).expect("course.toml loads")
}

/// Copies the files under `from` to `to`, leaving out `target/` folders.
pub fn copy_tree(from: &Path, to: &Path) {
    let skip = |rel: &Path| rel.file_name().is_some_and(|n| n == "target");
    for f in walk(from, &skip).unwrap() {
        let dest = to.join(&f.rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&f.path, &dest)
            .unwrap_or_else(|e| panic!("copying {}: {e}", f.path.display()));
    }
}

/// Makes `dir` a fresh copy of the course (manifest, Cargo files, exercises,
/// solutions, and with `with_tool` the root crate's sources, which cargo
/// needs to build anything there) whose exercises are the untouched stubs.
pub fn scratch_course(dir: &Path, with_tool: bool) {
    let _ = std::fs::remove_dir_all(dir);
    for top in ["exercises", "solutions"] {
        copy_tree(&root().join(top), &dir.join(top));
    }
    if with_tool {
        copy_tree(&root().join("src"), &dir.join("src"));
    }
    for file in ["course.toml", "Cargo.toml", "Cargo.lock", "rustfmt.toml"] {
        std::fs::copy(root().join(file), dir.join(file)).unwrap();
    }
    // Start from the untouched stubs, whatever state the real exercises are in.
    let manifest = Manifest::load(dir).unwrap();
    for ex in &manifest.exercises {
        workbook::learner::write_sources(dir, ex, &sources::stub(dir, ex).unwrap()).unwrap();
    }
}

/// The `workbook` binary, run in `dir`, without colours.
pub fn workbook_in(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_workbook"));
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// `workbook ARGS` in the course.
pub fn workbook(args: &[&str]) -> Output {
    workbook_in(&root()).args(args).output().expect("the workbook binary runs")
}

/// Standard output and standard error, as text.
pub fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The JSON a successful command printed.
pub fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", text(out));
    serde_json::from_slice(&out.stdout).unwrap()
}
