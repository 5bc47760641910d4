//! Backups of the learner's files, made before anything overwrites them.
//!
//! They go to `.workbook/backups/exercise-ID/TIMESTAMP/` inside the course
//! (git-ignored), one folder per backup, newest last in name order.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};

use crate::sources::Sources;

/// Folder that holds all backups of the course.
pub fn backups_dir(root: &Path) -> PathBuf {
    root.join(".workbook").join("backups")
}

/// Saves `files` (paths relative to the exercise's `src/`) and returns the
/// folder they went to. Files are written to a temporary folder first and
/// renamed into place, so an interrupted backup leaves no half-written copy.
pub fn save(root: &Path, package: &str, files: &Sources) -> Result<PathBuf> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let stamp = format!("{}-{:09}", now.as_secs(), now.subsec_nanos());
    let parent = backups_dir(root).join(package);
    let tmp = parent.join(format!(".tmp-{stamp}"));
    let dest = parent.join(&stamp);
    for (rel, text) in files {
        let path = tmp.join("src").join(rel);
        std::fs::create_dir_all(path.parent().expect("has parent"))
            .with_context(|| format!("could not create {}", tmp.display()))?;
        std::fs::write(&path, text).with_context(|| format!("could not write {}", path.display()))?;
    }
    std::fs::create_dir_all(&tmp)?;
    std::fs::rename(&tmp, &dest).with_context(|| format!("could not move the backup to {}", dest.display()))?;
    Ok(dest)
}
