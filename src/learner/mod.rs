//! What the learner's commands do to files: reset, undo, hints, solutions.
//! Nothing here loses a learner's work: every overwrite is preceded by a
//! complete backup, and every file is written atomically.

pub mod backup;
pub mod plot;
pub mod progress;
pub mod state;
pub mod watch;

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::course::manifest::Exercise;
use crate::course::sources::{self, Sources};
use crate::util::eol;
use backup::Reason;

/// Makes the exercise's `src/` hold exactly `files`: each file is written
/// atomically; files not in `files` are removed afterwards.
pub fn write_sources(root: &Path, ex: &Exercise, files: &Sources) -> Result<()> {
    let src = root.join(ex.dir()).join("src");
    let current = sources::read_rs_tree(&src).unwrap_or_default();
    for (rel, text) in files {
        crate::util::fs::write_atomic(&src.join(rel), text.as_bytes())?;
    }
    for rel in current.keys().filter(|k| !files.contains_key(*k)) {
        std::fs::remove_file(src.join(rel))?;
    }
    Ok(())
}

/// What `reset` did.
#[derive(Debug)]
pub enum Reset {
    /// The files already were the stub; nothing was written.
    AlreadyStub,
    /// The files were backed up to this folder and the stub put back.
    Done { backup: PathBuf },
}

/// Puts the stub back, after backing up the learner's files.
pub fn reset(root: &Path, ex: &Exercise) -> Result<Reset> {
    let stub = sources::stub(root, ex)?;
    let current = sources::read_rs_tree(&root.join(ex.dir()).join("src")).unwrap_or_default();
    if sources::same(&stub, &current) {
        return Ok(Reset::AlreadyStub);
    }
    let backup = backup::save(root, &ex.package(), &current, Reason::Reset)?;
    write_sources(root, ex, &stub)?;
    Ok(Reset::Done { backup })
}

/// What `reset --undo` did.
#[derive(Debug)]
pub struct Undo {
    /// The backup that was put back.
    pub restored: PathBuf,
    /// Where the files it replaced were saved (none if they equalled the backup).
    pub saved: Option<PathBuf>,
}

/// Restores the newest backup that `reset` made, after saving the current
/// files (so an undo can itself be undone by hand).
pub fn undo(root: &Path, ex: &Exercise) -> Result<Undo> {
    let Some(restored) = backup::newest(root, &ex.package(), Reason::Reset)? else {
        bail!(
            "exercise {} has no backup to restore: `cargo workbook reset {}` makes one before it puts the stub back",
            ex.id,
            ex.id
        );
    };
    let files = backup::read(&restored)?;
    let current = sources::read_rs_tree(&root.join(ex.dir()).join("src")).unwrap_or_default();
    let saved = if sources::same(&files, &current) || current.is_empty() {
        None
    } else {
        Some(backup::save(root, &ex.package(), &current, Reason::Undo)?)
    };
    write_sources(root, ex, &files)?;
    Ok(Undo { restored, saved })
}

/// One step of an exercise's hints.
#[derive(Debug, PartialEq, Eq)]
pub struct Hint {
    /// 1-based number of this step.
    pub step: usize,
    pub of: usize,
    pub text: String,
}

/// The steps of an exercise's hints: the manifest's, then where the
/// reference solution is.
pub fn hint_steps(ex: &Exercise) -> Vec<String> {
    let mut steps = ex.hints.clone();
    steps.push(format!(
        "The reference solution is in {}{}. `cargo workbook solution {}` shows it (and `--diff` compares it with your code). Read it, close it, then write your own version.",
        ex.solution_dir().join("src").display(),
        std::path::MAIN_SEPARATOR,
        ex.id
    ));
    steps
}

/// The next hint of `ex`, remembered in the state so the next call shows the
/// one after it (the last step repeats).
pub fn next_hint(root: &Path, ex: &Exercise) -> Result<(Hint, Option<String>)> {
    let (mut st, warning) = state::load(root)?;
    let steps = hint_steps(ex);
    let shown = st.hints_shown.get(&ex.id).copied().unwrap_or(0);
    let index = shown.min(steps.len() - 1);
    st.hints_shown.insert(ex.id.clone(), (index + 1).min(steps.len()));
    state::save(root, &st)?;
    Ok((Hint { step: index + 1, of: steps.len(), text: steps[index].clone() }, warning))
}

/// The solution's files as a learner reads them: without the markers that
/// make the stub.
pub fn solution_for_reading(root: &Path, ex: &Exercise) -> Result<Sources> {
    let mut files = sources::solution(root, ex)?;
    for text in files.values_mut() {
        *text = text
            .split_inclusive('\n')
            .filter(|l| {
                let t = l.trim_start();
                !(t.starts_with("// BEGIN SOLUTION") || t.starts_with("// END SOLUTION"))
            })
            .collect();
    }
    Ok(files)
}

/// How the learner's files differ from the reference solution's, as a
/// unified diff (empty when they are the same): `-` lines are the learner's,
/// `+` lines the solution's.
pub fn solution_diff(root: &Path, ex: &Exercise) -> Result<String> {
    let solution = solution_for_reading(root, ex)?;
    let mine = sources::learner(root, ex)?;
    let mut names: Vec<&PathBuf> = solution.keys().chain(mine.keys()).collect();
    names.sort();
    names.dedup();
    let mut out = String::new();
    for rel in names {
        // Line ends are not a difference (a checkout with git's autocrlf).
        let a = eol::to_lf(mine.get(rel).map(String::as_str).unwrap_or(""));
        let b = eol::to_lf(solution.get(rel).map(String::as_str).unwrap_or(""));
        let d = similar::TextDiff::from_lines(a.as_ref(), b.as_ref());
        let mine_name = ex.dir().join("src").join(rel).display().to_string();
        let their_name = ex.solution_dir().join("src").join(rel).display().to_string();
        out.push_str(
            &d.unified_diff().context_radius(3).header(&mine_name, &their_name).to_string(),
        );
    }
    Ok(out)
}

/// What [`sync_stub`] did.
#[derive(Debug)]
pub enum SyncStub {
    /// The exercise already held the stub made from the solution.
    Current,
    /// The stub was written, after the previous files were saved here (none
    /// when there were none).
    Written { saved: Option<PathBuf> },
}

/// Writes the stub made from the solution into the exercise (for course
/// authors, after changing a solution), backing up what was there.
pub fn sync_stub(root: &Path, ex: &Exercise) -> Result<SyncStub> {
    let stub = sources::stub(root, ex)?;
    let current = sources::learner(root, ex).unwrap_or_default();
    if sources::same(&stub, &current) {
        return Ok(SyncStub::Current);
    }
    let saved = if current.is_empty() {
        None
    } else {
        Some(backup::save(root, &ex.package(), &current, Reason::Sync)?)
    };
    write_sources(root, ex, &stub)?;
    Ok(SyncStub::Written { saved })
}
