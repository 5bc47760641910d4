//! The source files of an exercise: the learner's, the reference solution's,
//! the stub made from it, and a misconception's (the solution with a mistake
//! put in).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::course::manifest::Exercise;
use crate::course::stub;
use crate::util::eol;
use crate::util::fs::walk;

/// Source files of one crate's `src/`, by path relative to `src/`.
pub type Sources = BTreeMap<PathBuf, String>;

/// Reads every `.rs` file under `dir` (recursively), keyed relative to `dir`.
pub fn read_rs_tree(dir: &Path) -> Result<Sources> {
    let mut out = Sources::new();
    for f in walk(dir, &|_| false)? {
        if f.kind.is_file() && f.path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&f.path)
                .with_context(|| format!("could not read {} as UTF-8 text", f.path.display()))?;
            out.insert(f.rel, text);
        }
    }
    Ok(out)
}

/// The learner's current files of an exercise.
pub fn learner(root: &Path, ex: &Exercise) -> Result<Sources> {
    let dir = root.join(ex.dir()).join("src");
    read_rs_tree(&dir).with_context(|| {
        format!(
            "exercise {} has no source folder {}; if you moved or deleted it, `git checkout -- {}` brings the course's copy back",
            ex.id,
            dir.display(),
            ex.dir().display()
        )
    })
}

/// The reference solution's files.
pub fn solution(root: &Path, ex: &Exercise) -> Result<Sources> {
    read_rs_tree(&root.join(ex.solution_dir()).join("src"))
}

/// The untouched stub, made from the solution (see [`crate::course::stub`]).
pub fn stub(root: &Path, ex: &Exercise) -> Result<Sources> {
    let solution = solution(root, ex)?;
    stub_from(&solution).with_context(|| format!("making the stub of exercise {}", ex.id))
}

/// Makes a stub from solution files: files with solution regions are
/// stubbed, the others are copied as they are.
pub fn stub_from(solution: &Sources) -> Result<Sources> {
    let mut out = Sources::new();
    let mut any = false;
    for (path, text) in solution {
        if stub::has_regions(text) {
            any = true;
            let s = stub::make_stub(text).with_context(|| format!("in {}", path.display()))?;
            out.insert(path.clone(), s);
        } else {
            out.insert(path.clone(), text.clone());
        }
    }
    if !any {
        bail!("no solution file has a `// BEGIN SOLUTION` region");
    }
    Ok(out)
}

/// Whether two sets of sources are the same, ignoring whitespace at the
/// end of files and line ends (`\r\n` or `\n`: a checkout with git's
/// `autocrlf` is not a change).
pub fn same(a: &Sources, b: &Sources) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|((pa, ta), (pb, tb))| {
            pa == pb && eol::to_lf(ta).trim_end() == eol::to_lf(tb).trim_end()
        })
}
