//! Reading a student's submission safely: a folder, a `.zip` or a
//! `.tar.gz`, holding a copy of the course repository or just its
//! `exercises/` folder. Only the learner's own sources
//! (`exercises/exercise-NN/src/**/*.rs`) are ever taken from it; everything
//! else is only compared with the course, to flag a submission that changed
//! its tests.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::course::sources::Sources;
use crate::util::fs::visit;

/// Caps that keep a hostile archive from filling the disk or the memory. A
/// whole copy of the course, without `target/`, is about 350 files and 3 MB.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;
/// The most a submission may hold, packed (the archive's size) or unpacked
/// (the files read, `target/`, `.git/` and the like not counted).
pub const MAX_TOTAL_BYTES: u64 = 10 * 1024 * 1024;
pub const MAX_FILES: usize = 1000;

/// Every regular file of a submission, by its path inside the submission
/// (always relative, `/`-separated, never `..`).
pub type Files = BTreeMap<PathBuf, Vec<u8>>;

/// One entry of the submissions folder.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The student's id: the entry's name without `.zip` / `.tar.gz`
    /// (control characters and invalid UTF-8 written as escapes).
    pub student: String,
    pub path: PathBuf,
    /// Why the entry's name cannot be a student's id (it holds a newline, a
    /// control character or bytes that are not UTF-8): it is rejected.
    pub unusable_name: Option<String>,
}

/// Lists the entries of the submissions folder, sorted by student id.
/// Hidden files (starting with `.`) are skipped.
pub fn entries(dir: &Path) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)
        .with_context(|| format!("could not list the submissions folder {}", dir.display()))?
    {
        let entry = entry?;
        let raw = entry.file_name();
        let name = raw.to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let stem = name
            .strip_suffix(".tar.gz")
            .or_else(|| name.strip_suffix(".tgz"))
            .or_else(|| name.strip_suffix(".zip"))
            .unwrap_or(&name);
        let student = escaped(stem);
        let unusable_name = (raw.to_str().is_none() || student != stem).then(|| {
            format!(
                "the submission's name {} holds a newline, another control character or bytes that are not UTF-8; rename it",
                escaped(&name)
            )
        });
        out.push(Entry { student, path: entry.path(), unusable_name });
    }
    out.sort_by(|a, b| a.student.cmp(&b.student));
    Ok(out)
}

/// A name with its control characters (a newline, a NUL, …) written as
/// escapes (`\n`, `\0`), so that it stays on one line of the gradebook.
pub fn escaped(name: &str) -> String {
    name.chars()
        .flat_map(|c| {
            let plain = !c.is_control();
            let one = plain.then_some(c).into_iter();
            let esc = (!plain).then(|| c.escape_default()).into_iter().flatten();
            one.chain(esc)
        })
        .collect()
}

/// Reads all regular files of a submission into memory, rejecting (with a
/// reason) archives that are corrupt, escape their root with `..` or
/// absolute paths, contain symbolic or hard links or file names with control
/// characters, or are too large (over [`MAX_TOTAL_BYTES`] packed or
/// unpacked, over [`MAX_FILES`] files).
pub fn read(entry: &Path) -> Result<Files> {
    let meta = std::fs::symlink_metadata(entry)
        .with_context(|| format!("could not read {}", entry.display()))?;
    let name = entry.file_name().unwrap_or_default().to_string_lossy().into_owned();
    if meta.is_file() && meta.len() > MAX_TOTAL_BYTES {
        bail!(
            "the archive is {}, over the limit of {}; leave target/ and other build output out of it",
            megabytes(meta.len()),
            megabytes(MAX_TOTAL_BYTES)
        );
    }
    let files = if meta.file_type().is_symlink() {
        bail!("the submission is a symbolic link; submit a folder or an archive instead")
    } else if meta.is_dir() {
        read_dir(entry)?
    } else if name.ends_with(".zip") {
        read_zip(entry)?
    } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        read_tar_gz(entry)?
    } else {
        bail!("{name} is neither a folder, a .zip nor a .tar.gz")
    };
    if files.is_empty() {
        bail!("the submission is empty");
    }
    Ok(files)
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// A path from an archive or folder as a safe relative path.
fn safe_path(raw: &str) -> Result<PathBuf> {
    if raw.chars().any(char::is_control) {
        bail!("a file name holds a newline, a NUL or another control character: {}", escaped(raw));
    }
    let path = Path::new(raw);
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                bail!("the archive holds a path that climbs out of it with `..`: {raw}")
            }
            Component::RootDir | Component::Prefix(_) => {
                bail!("the archive holds an absolute path: {raw}")
            }
        }
    }
    Ok(out)
}

struct Budget {
    files: usize,
    bytes: u64,
}

impl Budget {
    fn take(&mut self, path: &Path, size: u64) -> Result<()> {
        self.files += 1;
        self.bytes += size;
        if size > MAX_FILE_BYTES {
            bail!(
                "{} is {size} bytes; files over {MAX_FILE_BYTES} bytes are not accepted",
                path.display()
            );
        }
        if self.files > MAX_FILES {
            bail!(
                "the submission has more than {MAX_FILES} files; submit the course folder without target/ and other build output"
            );
        }
        if self.bytes > MAX_TOTAL_BYTES {
            bail!(
                "the submission holds more than {} once unpacked; submit the course folder without target/ and other build output",
                megabytes(MAX_TOTAL_BYTES)
            );
        }
        Ok(())
    }
}

/// Folders never read from a submission: build output and version control.
fn skipped_dir(name: &str) -> bool {
    matches!(name, "target" | ".git" | ".workbook" | "node_modules")
}

fn read_dir(root: &Path) -> Result<Files> {
    let mut files = Files::new();
    let mut budget = Budget { files: 0, bytes: 0 };
    let skip = |rel: &Path| {
        // A folder, not a link named like one (links are refused below).
        let folder = std::fs::symlink_metadata(root.join(rel)).is_ok_and(|m| m.is_dir());
        folder && rel.file_name().is_some_and(|n| skipped_dir(&n.to_string_lossy()))
    };
    visit(root, &skip, &mut |f| {
        let Some(name) = f.rel.to_str() else {
            bail!("a file name is not UTF-8 text: {}", escaped(&f.rel.to_string_lossy()));
        };
        safe_path(name)?;
        if f.kind.is_symlink() {
            // A link could point anywhere (another student's folder, /etc): never follow it.
            bail!("{} is a symbolic link; links are not accepted in a submission", f.rel.display());
        }
        if f.kind.is_file() {
            budget.take(&f.rel, f.path.metadata()?.len())?;
            files.insert(f.rel, std::fs::read(&f.path)?);
        }
        Ok(())
    })?;
    Ok(files)
}

fn read_zip(path: &Path) -> Result<Files> {
    let file = std::fs::File::open(path)?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| anyhow::anyhow!("not a valid .zip archive ({e})"))?;
    let mut files = Files::new();
    let mut budget = Budget { files: 0, bytes: 0 };
    for i in 0..archive.len() {
        let mut f = archive
            .by_index(i)
            .map_err(|e| anyhow::anyhow!("the .zip archive is corrupt ({e})"))?;
        let rel = safe_path(f.name())?;
        if f.is_symlink() {
            bail!("{} is a symbolic link; links are not accepted in a submission", rel.display());
        }
        if f.is_dir() || rel.components().any(|c| skipped_dir(&c.as_os_str().to_string_lossy())) {
            continue;
        }
        budget.take(&rel, f.size())?;
        let mut bytes = Vec::new();
        (&mut f)
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| anyhow::anyhow!("the .zip archive is corrupt ({e})"))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            bail!("{} is larger than {MAX_FILE_BYTES} bytes once unpacked", rel.display());
        }
        files.insert(rel, bytes);
    }
    Ok(files)
}

fn read_tar_gz(path: &Path) -> Result<Files> {
    let file = std::fs::File::open(path)?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut files = Files::new();
    let mut budget = Budget { files: 0, bytes: 0 };
    let entries =
        archive.entries().map_err(|e| anyhow::anyhow!("not a valid .tar.gz archive ({e})"))?;
    for entry in entries {
        let mut entry =
            entry.map_err(|e| anyhow::anyhow!("the .tar.gz archive is corrupt ({e})"))?;
        let raw = entry
            .path()
            .map_err(|e| anyhow::anyhow!("the .tar.gz archive is corrupt ({e})"))?
            .to_string_lossy()
            .into_owned();
        let rel = safe_path(&raw)?;
        let kind = entry.header().entry_type();
        if kind.is_symlink() || kind.is_hard_link() {
            bail!("{} is a link; links are not accepted in a submission", rel.display());
        }
        if !kind.is_file()
            || rel.components().any(|c| skipped_dir(&c.as_os_str().to_string_lossy()))
        {
            continue;
        }
        budget.take(&rel, entry.size())?;
        let mut bytes = Vec::new();
        (&mut entry)
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| anyhow::anyhow!("the .tar.gz archive is corrupt ({e})"))?;
        files.insert(rel, bytes);
    }
    Ok(files)
}

/// Finds the folder that holds the `exercise-NN` folders: `exercises/` at
/// the top, inside one wrapping folder (an archive of the repository's
/// folder), or the submission itself.
pub fn exercises_root(files: &Files) -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = files
        .keys()
        .filter_map(|p| {
            let parts: Vec<String> =
                p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            let i = parts
                .iter()
                .position(|c| c.starts_with("exercise-") && c.len() == "exercise-NN".len())?;
            (i <= 2).then(|| parts[..i].iter().collect::<PathBuf>())
        })
        .collect();
    candidates.sort_by_key(|p| p.components().count());
    candidates.into_iter().next()
}

/// The learner's sources of exercise `package` (`exercise-NN`): the `.rs`
/// files under its `src/`, as text. `None` when the submission has no such
/// folder.
pub fn exercise_sources(files: &Files, root: &Path, package: &str) -> Result<Option<Sources>> {
    let src = root.join(package).join("src");
    let mut out = Sources::new();
    for (path, bytes) in files {
        if let Ok(rel) = path.strip_prefix(&src)
            && rel.extension().is_some_and(|e| e == "rs")
        {
            let text = String::from_utf8(bytes.clone())
                .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", path.display()))?;
            out.insert(rel.to_path_buf(), text);
        }
    }
    Ok((!out.is_empty()).then_some(out))
}

/// Files of exercise `package` outside `src/` that differ from the course's
/// copy (tests, snapshots, manifests, data) or that the course does not have
/// (a `build.rs`, say): they are ignored for grading, and listed so the
/// gradebook can flag the submission. Line ends do not count: a learner on
/// Windows submits a checkout with `\r\n`.
pub fn modified_outside_src(
    files: &Files,
    root: &Path,
    package: &str,
    course_exercise_dir: &Path,
) -> Vec<PathBuf> {
    let dir = root.join(package);
    let src = dir.join("src");
    let mut out = Vec::new();
    for (path, bytes) in files {
        let Ok(rel) = path.strip_prefix(&dir) else { continue };
        if path.starts_with(&src) {
            continue;
        }
        let name = rel.to_string_lossy();
        if name.ends_with(".snap.new") || name.ends_with(".pending-snap") || name == "Cargo.lock" {
            continue;
        }
        match std::fs::read(course_exercise_dir.join(rel)) {
            Ok(course) if crate::util::eol::same_file(&course, bytes) => {}
            _ => out.push(rel.to_path_buf()),
        }
    }
    out
}

/// Things a learner's code has no reason to contain, which could be used to
/// fool a test run (end the process early, forge libtest's report, run code
/// before `main`, read other processes): flagged for the instructor to look
/// at; they do not change the grade by themselves.
pub fn suspicious(files: &Sources) -> Vec<String> {
    const PATTERNS: [(&str, &str); 7] = [
        ("process::exit", "calls std::process::exit"),
        ("process::abort", "calls std::process::abort"),
        ("test result:", "prints \"test result:\" like the test harness"),
        ("link_section", "uses #[link_section] (code that runs before main)"),
        ("/proc/", "reads /proc"),
        ("unsafe", "uses unsafe code"),
        ("Command::new", "starts other programs"),
    ];
    let mut out = Vec::new();
    for (pattern, what) in PATTERNS {
        if files.values().any(|text| text.contains(pattern)) {
            out.push(what.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_windows_checkout_is_not_flagged_as_modified() {
        let course = Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises/exercise-02");
        let manifest = std::fs::read_to_string(course.join("Cargo.toml")).unwrap();
        let crlf = |text: &str| text.replace('\n', "\r\n").into_bytes();
        let mut files = Files::new();
        files.insert("exercise-02/Cargo.toml".into(), crlf(&manifest));
        files.insert("exercise-02/src/lib.rs".into(), b"mine".to_vec());
        let none: Vec<PathBuf> = Vec::new();
        assert_eq!(modified_outside_src(&files, Path::new(""), "exercise-02", &course), none);
        files.insert("exercise-02/Cargo.toml".into(), crlf(&format!("{manifest}# mine\n")));
        assert_eq!(
            modified_outside_src(&files, Path::new(""), "exercise-02", &course),
            vec![PathBuf::from("Cargo.toml")]
        );
    }

    #[test]
    fn paths_that_climb_out_or_are_absolute_are_rejected() {
        assert!(safe_path("../etc/passwd").unwrap_err().to_string().contains(".."));
        assert!(safe_path("/etc/passwd").unwrap_err().to_string().contains("absolute"));
        assert_eq!(safe_path("./a/b.rs").unwrap(), PathBuf::from("a/b.rs"));
    }

    #[test]
    fn the_exercises_folder_is_found_at_any_usual_depth() {
        let mut files = Files::new();
        files.insert("repo/exercises/exercise-01/src/lib.rs".into(), b"x".to_vec());
        assert_eq!(exercises_root(&files), Some(PathBuf::from("repo/exercises")));
        let mut files = Files::new();
        files.insert("exercise-02/src/lib.rs".into(), b"x".to_vec());
        assert_eq!(exercises_root(&files), Some(PathBuf::new()));
    }
}
