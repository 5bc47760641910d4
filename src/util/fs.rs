//! Files: one directory walker, writes that never leave half a file, and
//! temporary files and folders that clean up after themselves.

use std::collections::BTreeSet;
use std::fs::{File, FileType};
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};

/// A relative path written with `/` (in `course.toml`, in the tool's own
/// defaults) in this system's form, so that messages print `a\\b` on
/// Windows and `a/b` elsewhere.
pub fn native(rel: &str) -> PathBuf {
    rel.split('/').filter(|part| !part.is_empty()).collect()
}

/// One entry found by [`walk`]: a file, or a symbolic link (never followed).
#[derive(Debug)]
pub struct Found {
    /// The path relative to the walked folder.
    pub rel: PathBuf,
    /// The full path.
    pub path: PathBuf,
    pub kind: FileType,
}

/// Every file and symbolic link under `root`, sorted by relative path,
/// skipping the files and folders (relative to `root`) that `skip` accepts.
/// Links are listed, never followed.
pub fn walk(root: &Path, skip: &dyn Fn(&Path) -> bool) -> Result<Vec<Found>> {
    let mut found = Vec::new();
    visit(root, skip, &mut |f| {
        found.push(f);
        Ok(())
    })?;
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(found)
}

/// [`walk`] without the sorting: `each` is called on every file and link as
/// it is found, and an error it returns stops the walk (so a walk over
/// untrusted folders can stop at a budget before listing everything).
pub fn visit(
    root: &Path,
    skip: &dyn Fn(&Path) -> bool,
    each: &mut dyn FnMut(Found) -> Result<()>,
) -> Result<()> {
    if !root.is_dir() {
        bail!("{} does not exist or is not a folder", root.display());
    }
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = root.join(&rel);
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("could not list {}", dir.display()))?
        {
            let entry = entry.with_context(|| format!("could not list {}", dir.display()))?;
            let rel_child = rel.join(entry.file_name());
            if skip(&rel_child) {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(rel_child);
            } else {
                each(Found { rel: rel_child, path: entry.path(), kind })?;
            }
        }
    }
    Ok(())
}

/// Writes a file through a temporary file in the same folder and a rename,
/// so a reader (or an interrupted writer) never sees half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().context("a file path has a parent folder")?;
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes).with_context(|| format!("could not write {}", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("could not move {} into place", path.display()))
}

/// Writes `bytes` to `path` unless it already holds exactly them (so cargo's
/// fingerprints of unchanged files stay valid).
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create {}", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("could not write {}", path.display()))
}

/// Removes every file under `dir` whose full path is not in `keep`, except
/// under what `skip` accepts (relative to `dir`). A missing `dir` is fine.
pub fn remove_others(
    dir: &Path,
    keep: &BTreeSet<PathBuf>,
    skip: &dyn Fn(&Path) -> bool,
) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for f in walk(dir, skip)? {
        if !keep.contains(&f.path) {
            std::fs::remove_file(&f.path)
                .with_context(|| format!("could not remove {}", f.path.display()))?;
        }
    }
    Ok(())
}

static TEMP_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A name no other temporary file or folder of this process uses.
fn unique(stem: &str) -> String {
    let n = TEMP_COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    format!("workbook-{stem}-{}-{n}-{nanos}", std::process::id())
}

/// A temporary folder, removed when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(stem: &str) -> Result<TempDir> {
        let dir = std::env::temp_dir().join(unique(stem));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("could not create {}", dir.display()))?;
        Ok(TempDir(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An anonymous temporary file (deleted as soon as it is created, so nothing
/// is left behind even if the process is killed).
pub fn anonymous_file(stem: &str) -> Result<File> {
    let path = std::env::temp_dir().join(format!(".{}", unique(stem)));
    let file = File::options()
        .create(true)
        .truncate(true)
        .read(true)
        .write(true)
        .open(&path)
        .with_context(|| format!("could not create {}", path.display()))?;
    let _ = std::fs::remove_file(&path);
    Ok(file)
}

/// Reads at most `cap` bytes of a file from its start, as text; says so when
/// there was more.
pub fn read_capped(mut file: File, cap: u64) -> Result<String> {
    file.rewind()?;
    let len = file.metadata()?.len();
    let mut bytes = Vec::new();
    (&mut file).take(cap).read_to_end(&mut bytes)?;
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    if len > cap {
        text.push_str(&format!("\n[output cut: {len} bytes in all, the first {cap} kept]\n"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_lists_files_sorted_skips_what_it_is_told_and_never_follows_links() {
        let dir = TempDir::new("walk").unwrap();
        let root = dir.path();
        for f in ["b.rs", "a/x.rs", "a/target/y.rs", "c/z.txt"] {
            write_if_changed(&root.join(f), b"x").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc", root.join("link")).unwrap();
        let skip = |rel: &Path| rel.file_name().is_some_and(|n| n == "target");
        let found: Vec<String> =
            walk(root, &skip).unwrap().iter().map(|f| f.rel.display().to_string()).collect();
        let mut expected = vec!["a/x.rs", "b.rs", "c/z.txt"];
        if cfg!(unix) {
            expected.push("link");
        }
        assert_eq!(found, expected);
        assert!(walk(&root.join("missing"), &|_| false).is_err());
    }

    #[test]
    fn write_atomic_replaces_a_file_whole() {
        let dir = TempDir::new("atomic").unwrap();
        let path = dir.path().join("deep/f.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1,
            "no temp file left"
        );
    }
}
