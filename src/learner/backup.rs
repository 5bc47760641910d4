//! Backups of the learner's files, made before anything overwrites them.
//!
//! They go to `.workbook/backups/exercise-ID/STAMP-REASON/src/…` inside the
//! course (git-ignored), one folder per backup; names sort by time. A backup
//! is written to a temporary folder and renamed into place, so an interrupted
//! backup leaves no half-written copy, and the learner's files are only
//! touched once their backup is complete.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};

use crate::course::sources::{self, Sources};

/// Why a backup was made; `reset --undo` restores only `Reset` backups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Before `reset` put the stub back.
    Reset,
    /// Before `reset --undo` put an older backup back.
    Undo,
    /// Before an author's `dev sync-stubs` rewrote the stub.
    Sync,
}

impl Reason {
    fn label(self) -> &'static str {
        match self {
            Reason::Reset => "reset",
            Reason::Undo => "before-undo",
            Reason::Sync => "sync-stubs",
        }
    }
}

/// Folder that holds all backups of the course.
pub fn backups_dir(root: &Path) -> PathBuf {
    root.join(".workbook").join("backups")
}

/// Saves `files` (paths relative to the exercise's `src/`) and returns the
/// folder they went to.
pub fn save(root: &Path, package: &str, files: &Sources, reason: Reason) -> Result<PathBuf> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let stamp = format!("{:011}-{:09}-{}", now.as_secs(), now.subsec_nanos(), reason.label());
    let parent = backups_dir(root).join(package);
    let tmp = parent.join(format!(".tmp-{stamp}"));
    let dest = parent.join(&stamp);
    std::fs::create_dir_all(tmp.join("src"))
        .with_context(|| format!("could not create {}", tmp.display()))?;
    for (rel, text) in files {
        let path = tmp.join("src").join(rel);
        std::fs::create_dir_all(path.parent().expect("has parent"))
            .with_context(|| format!("could not create {}", tmp.display()))?;
        std::fs::write(&path, text)
            .with_context(|| format!("could not write {}", path.display()))?;
    }
    std::fs::rename(&tmp, &dest)
        .with_context(|| format!("could not move the backup to {}", dest.display()))?;
    Ok(dest)
}

/// The newest backup of `package` made for `reason`, if any.
pub fn newest(root: &Path, package: &str, reason: Reason) -> Result<Option<PathBuf>> {
    let dir = backups_dir(root).join(package);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(None) };
    let suffix = format!("-{}", reason.label());
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.') && n.ends_with(&suffix))
        .collect();
    names.sort();
    Ok(names.pop().map(|n| dir.join(n)))
}

/// The files of a backup folder.
pub fn read(backup: &Path) -> Result<Sources> {
    sources::read_rs_tree(&backup.join("src"))
}
