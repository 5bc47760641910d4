//! The grader's cache keys: results are kept by the content of a
//! submission's sources and of everything else that decides the grade, so an
//! interrupted run continues where it stopped and a changed course grades again.

use std::path::Path;
use std::time::Duration;

use anyhow::Result;

use super::hidden::Hidden;
use crate::course::manifest::Exercise;
use crate::course::sources::Sources;
use crate::util::hash::Fingerprint;

/// The settings of a run that decide a grade besides the course.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// One test's time limit.
    pub timeout: Duration,
    /// One submission's exercise's time budget.
    pub budget: Duration,
    /// Whether the code ran under bubblewrap (a result graded without it is
    /// not reused once it is installed).
    pub sandboxed: bool,
}

/// A fingerprint of everything besides the learner's sources that decides a
/// grade: the exercise's pristine tests and data, the solutions and support
/// crates, the lock file, the hidden tests, the time limits and the sandbox.
pub fn course_fingerprint(
    root: &Path,
    ex: &Exercise,
    hidden: &Hidden,
    limits: &Limits,
) -> Result<String> {
    let mut h = Fingerprint::new();
    let mut add_tree = |dir: &Path, skip_src: bool| -> Result<()> {
        let skip = |rel: &Path| {
            rel.file_name().is_some_and(|n| n == "target") || (skip_src && rel == Path::new("src"))
        };
        h.tree(root, dir, &skip)
    };
    add_tree(&root.join(ex.dir()), true)?;
    add_tree(&root.join("solutions"), false)?;
    add_tree(&root.join("exercises/support"), false)?;
    h.field(&std::fs::read(root.join("Cargo.lock")).unwrap_or_default());
    h.field(&std::fs::read(root.join("Cargo.toml")).unwrap_or_default());
    for file in &hidden.files {
        h.field(file.name.as_bytes());
        h.field(file.text.as_bytes());
    }
    h.raw(&limits.timeout.as_millis().to_le_bytes());
    h.raw(&limits.budget.as_millis().to_le_bytes());
    h.raw(&[u8::from(limits.sandboxed)]);
    Ok(h.hex())
}

pub fn sources_hash(ex: &Exercise, fingerprint: &str, files: &Sources) -> String {
    let mut h = Fingerprint::new();
    h.raw(ex.id.as_bytes());
    h.raw(fingerprint.as_bytes());
    for (path, text) in files {
        h.field(path.to_string_lossy().as_bytes());
        h.field(text.as_bytes());
    }
    h.hex()
}
