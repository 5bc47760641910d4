//! Slots: pristine copies of the course in which submitted sources are
//! built and tested, each with a target directory of its own.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

use super::{Engine, TestFile};
use crate::course::manifest::Exercise;
use crate::course::sources::Sources;
use crate::util::fs::{remove_others, walk, write_if_changed};

/// A slot in use: its folder, locked until dropped.
pub(super) struct Slot {
    pub(super) dir: PathBuf,
    _lock: File,
}

impl Slot {
    /// The slot's own cargo target directory, beside it.
    pub(super) fn target(&self) -> PathBuf {
        let name = self.dir.file_name().unwrap_or_default().to_string_lossy();
        self.dir.with_file_name(format!("{name}-target"))
    }
}

impl Engine {
    pub(super) fn lock_slot(&self) -> Result<Slot> {
        std::fs::create_dir_all(&self.slots)
            .with_context(|| format!("could not create {}", self.slots.display()))?;
        // Take the first free slot; if all are busy, wait for the first one.
        let count = self.slot_count.max(1);
        for i in 0..count {
            let (dir, file) = self.open_slot(i)?;
            if file.try_lock().is_ok() {
                return Ok(Slot { dir, _lock: file });
            }
        }
        let (dir, file) = self.open_slot(0)?;
        file.lock().with_context(|| format!("could not lock {}", dir.display()))?;
        Ok(Slot { dir, _lock: file })
    }

    fn open_slot(&self, i: usize) -> Result<(PathBuf, File)> {
        let dir = self.slots.join(i.to_string());
        std::fs::create_dir_all(&dir)?;
        let lock = self.slots.join(format!("{i}.lock"));
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .with_context(|| format!("could not open {}", lock.display()))?;
        Ok((dir, file))
    }

    /// Calls `work` with a locked slot that holds a copy of the course with
    /// `sources` as `ex`'s `src/`, and the slot's own target directory.
    pub fn in_slot<R>(
        &self,
        ex: &Exercise,
        sources: &Sources,
        work: impl FnOnce(&Path, &Path) -> Result<R>,
    ) -> Result<R> {
        let slot = self.lock_slot()?;
        self.prepare(&slot.dir, ex, sources)?;
        work(&slot.dir, &slot.target())
    }

    /// Makes `slot` a copy of the course with `sources` as `ex`'s `src/`.
    pub(super) fn prepare(&self, slot: &Path, ex: &Exercise, sources: &Sources) -> Result<()> {
        let root_manifest = std::fs::read_to_string(self.course.join("Cargo.toml"))
            .context("could not read the course's Cargo.toml")?;
        write_if_changed(&slot.join("Cargo.toml"), &slot_manifest(&root_manifest)?)?;
        let lock = std::fs::read(self.course.join("Cargo.lock"))
            .context("could not read the course's Cargo.lock")?;
        write_if_changed(&slot.join("Cargo.lock"), &lock)?;
        for top in ["exercises", "solutions"] {
            let from = self.course.join(top);
            let graded_src = ex.dir().join("src");
            mirror(&from, &slot.join(top), &|rel: &Path| {
                // The graded exercise's src/ comes from the caller; misconceptions are not code.
                Path::new(top).join(rel) == graded_src
                    || rel.file_name().is_some_and(|n| n == "target" || n == "misconceptions")
            })?;
        }
        let src = slot.join(ex.dir()).join("src");
        let mut keep = BTreeSet::new();
        for (rel, text) in sources {
            if rel.is_absolute()
                || rel.components().any(|c| !matches!(c, std::path::Component::Normal(_)))
            {
                bail!("source path {} must be relative and stay inside src/", rel.display());
            }
            write_if_changed(&src.join(rel), text.as_bytes())?;
            keep.insert(src.join(rel));
        }
        remove_others(&src, &keep, &|_| false)?;
        Ok(())
    }
}

/// The instructor's hidden test files, written into an exercise's `tests/`
/// folder for the build that needs them, and removed when that build is
/// done (or, whatever happens, when this is dropped).
pub(super) struct HiddenFiles {
    paths: Vec<PathBuf>,
}

impl HiddenFiles {
    pub(super) fn write(tests_dir: &Path, files: &[TestFile]) -> Result<HiddenFiles> {
        let mut hidden = HiddenFiles { paths: Vec::new() };
        for TestFile { name, text } in files {
            let path = tests_dir.join(name);
            hidden.paths.push(path.clone());
            write_if_changed(&path, text.as_bytes())?;
        }
        Ok(hidden)
    }

    pub(super) fn remove(mut self) -> Result<()> {
        for path in std::mem::take(&mut self.paths) {
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(e).with_context(|| format!("could not remove {}", path.display()));
                }
                _ => {}
            }
        }
        Ok(())
    }
}

impl Drop for HiddenFiles {
    fn drop(&mut self) {
        for path in &self.paths {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Deletes, when made and when dropped, what a slot's target folder holds of
/// the exercises and the hidden tests under names a build could guess:
/// compiled code (libraries, test binaries, examples) and cargo's
/// fingerprints (which keep the compiler's messages, quoting the code). So
/// no submission's build can `include_bytes!` an earlier submission's code
/// or a hidden test's binary. The dependencies' artifacts (the course's)
/// stay, and so do the exercises' incremental caches: rustc names their
/// session folders with a random part, which no `include_bytes!` can name,
/// and they keep a submission's build incremental (about 1 s instead of 4).
/// The hidden tests' incremental caches go too.
pub(super) struct Purge {
    target: PathBuf,
}

impl Purge {
    pub(super) fn new(target: &Path) -> Purge {
        let purge = Purge { target: target.to_path_buf() };
        purge.run();
        purge
    }

    fn run(&self) {
        let debug = self.target.join("debug");
        let rules: [(&str, &[&str]); 4] = [
            ("deps", &["exercise_", "libexercise_", "hidden_"]),
            ("examples", &[""]),
            ("incremental", &["hidden_"]),
            (".fingerprint", &["exercise-"]),
        ];
        for (folder, prefixes) in rules {
            let Ok(entries) = std::fs::read_dir(debug.join(folder)) else { continue };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !prefixes.iter().any(|p| name.starts_with(p)) {
                    continue;
                }
                let path = entry.path();
                let _ = match entry.file_type() {
                    Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
                    _ => std::fs::remove_file(&path),
                };
            }
        }
    }
}

impl Drop for Purge {
    fn drop(&mut self) {
        self.run();
    }
}

/// The workspace manifest of a slot: the course's, without the root package.
fn slot_manifest(root: &str) -> Result<Vec<u8>> {
    let mut doc: toml::Table =
        toml::from_str(root).context("the course's Cargo.toml does not parse")?;
    for key in [
        "package",
        "features",
        "badges",
        "dependencies",
        "dev-dependencies",
        "build-dependencies",
        "bin",
        "lib",
        "test",
        "bench",
        "example",
        "target",
        "lints",
    ] {
        doc.remove(key);
    }
    let workspace = doc
        .get_mut("workspace")
        .and_then(|w| w.as_table_mut())
        .ok_or_else(|| anyhow!("the course's Cargo.toml has no [workspace]"))?;
    workspace.insert(
        "members".into(),
        toml::Value::Array(
            ["exercises/support", "exercises/exercise-*", "solutions/solution-*"]
                .iter()
                .map(|s| toml::Value::String(s.to_string()))
                .collect(),
        ),
    );
    workspace.remove("default-members");
    // The profiles' settings for the tool's own dependencies (clap, toml…)
    // would match no package here: cargo would warn about each.
    let shared: Vec<String> = workspace
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default();
    let in_slot = |name: &str| {
        name.starts_with("exercise-")
            || name.starts_with("solution-")
            || shared.iter().any(|d| d == name)
    };
    if let Some(profiles) = doc.get_mut("profile").and_then(|p| p.as_table_mut()) {
        for (_, profile) in profiles.iter_mut() {
            if let Some(packages) = profile.get_mut("package").and_then(|p| p.as_table_mut()) {
                packages.retain(|name, _| in_slot(name));
            }
        }
    }
    Ok(format!(
        "# Written by the workbook's grading engine; do not edit.\n{}",
        toml::to_string(&doc)?
    )
    .into_bytes())
}

/// Makes `to` hold the same files as `from`, except paths (relative to
/// `from`) that `skip` accepts, which are left alone on both sides. Editors'
/// and insta's leftovers (`*.snap.new`, `*.pending-snap`) are not copied.
fn mirror(from: &Path, to: &Path, skip: &dyn Fn(&Path) -> bool) -> Result<()> {
    let mut wanted = BTreeSet::new();
    for f in walk(from, skip)? {
        let name = f.rel.file_name().unwrap_or_default().to_string_lossy();
        if !f.kind.is_file() || name.ends_with(".snap.new") || name.ends_with(".pending-snap") {
            continue;
        }
        let dest = to.join(&f.rel);
        let bytes = std::fs::read(&f.path)
            .with_context(|| format!("could not read {}", f.path.display()))?;
        write_if_changed(&dest, &bytes)?;
        wanted.insert(dest);
    }
    // Remove what the course no longer has (but never inside skipped paths).
    remove_others(to, &wanted, skip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slot_manifest_drops_the_root_package() {
        let root = "[workspace]\nmembers = [\".\"]\n[workspace.dependencies]\na = \"1\"\n[package]\nname = \"workbook\"\n[features]\nfull = [\"dep:x\"]\n[dependencies]\nx = { version = \"1\", optional = true }\n[profile.dev]\nopt-level = 1\n[profile.dev.package.clap_builder]\nopt-level = 0\n[profile.dev.package.solution-06]\nopt-level = 2\n[profile.dev.package.a]\nopt-level = 3\n";
        let out = String::from_utf8(slot_manifest(root).unwrap()).unwrap();
        let doc: toml::Table = toml::from_str(&out).unwrap();
        for key in ["package", "features", "dependencies"] {
            assert!(doc.get(key).is_none(), "{key} is dropped:\n{out}");
        }
        assert_eq!(doc["profile"]["dev"]["opt-level"].as_integer(), Some(1));
        let packages = doc["profile"]["dev"]["package"].as_table().unwrap();
        let names: Vec<&str> = packages.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            ["a", "solution-06"],
            "the tool's own dependencies' settings are dropped"
        );
        assert_eq!(doc["workspace"]["members"].as_array().unwrap().len(), 3);
    }
}
