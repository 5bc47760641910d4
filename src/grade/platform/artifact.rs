//! What an instructor uploads to a platform: the pinned course (the commit
//! the instructor is on, as `course.tar.gz`), the scripts the platform runs,
//! and the grading settings. The scripts only unpack the course and call
//! `cargo workbook autograder run`, so every platform grades with the one
//! engine.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};

use crate::util::fs::{walk, write_atomic};

/// The Classroom 50 autograder (Python: the runner runs `autograder.py`).
const CLASSROOM50_AUTOGRADER: &str = include_str!("autograder.py");
/// Gradescope's `setup.sh` and `run_autograder`.
const GRADESCOPE_SETUP: &str = include_str!("setup.sh");
const GRADESCOPE_RUN: &str = include_str!("run_autograder");

/// What an artifact is built from.
#[derive(Clone, Debug)]
pub struct Build {
    /// The course (its folder: a git checkout).
    pub root: PathBuf,
    /// `cargo workbook autograder run` options baked into the scripts
    /// (`--exercises`, `--timeout`, `--budget`).
    pub args: Vec<String>,
    /// Hidden tests (`DIR/exercise-NN/*.rs`, `descriptions.toml`); Gradescope only.
    pub hidden_tests: Option<PathBuf>,
    /// The reference solutions' results (the grader's cache files), shipped
    /// as `reference/` so the platform need not grade them again.
    pub reference: PathBuf,
}

/// The reference results to ship: every cached result file of `dir`.
fn reference_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for found in walk(dir, &|_| false)? {
        let name = found.rel.to_string_lossy().into_owned();
        if found.kind.is_file() && name.ends_with(".json") && !name.contains('/') {
            files.push((format!("reference/{name}"), std::fs::read(&found.path)?));
        }
    }
    Ok(files)
}

/// The course at its current commit, as a `.tar.gz`; and the files that
/// differ from that commit (not included), for a warning.
pub fn course_archive(root: &Path) -> Result<(Vec<u8>, Vec<String>)> {
    let git = |args: &[&str]| -> Result<Vec<u8>> {
        let out = Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .context("could not run git: the artifact packs the course's current commit")?;
        ensure!(
            out.status.success(),
            "git {} failed in {} (the course must be a git checkout, with at least one commit): {}",
            args.join(" "),
            root.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
        Ok(out.stdout)
    };
    let archive = git(&["archive", "--format=tar.gz", "HEAD"])?;
    let status = String::from_utf8_lossy(&git(&["status", "--porcelain"])?).into_owned();
    let dirty = status.lines().map(|l| l.get(3..).unwrap_or(l).to_string()).collect();
    Ok((archive, dirty))
}

/// The Rust version this machine builds with (`1.95.0`): the platforms install it.
pub fn rust_version() -> Result<String> {
    let out = Command::new("rustc").arg("--version").output().context("could not run rustc")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.split_whitespace().nth(1).unwrap_or("").to_string();
    ensure!(
        !version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.'),
        "`rustc --version` said {text:?}; the artifact pins a released Rust version (1.89 or newer)"
    );
    Ok(version)
}

/// Quotes each argument for the shell and for Python.
fn shell_words(args: &[String]) -> String {
    args.iter().map(|a| format!("'{}'", a.replace('\'', r"'\''"))).collect::<Vec<_>>().join(" ")
}

fn fill(template: &str, build: &Build, rust: &str) -> String {
    let python_list = serde_json::to_string(&build.args).unwrap_or_else(|_| "[]".into());
    template
        .replace("@SHELL_ARGS@", &shell_words(&build.args))
        .replace("@PYTHON_ARGS@", &python_list)
        .replace("@RUST@", rust)
}

/// Writes the Classroom 50 autograder bundle into `out`: `autograder.py`,
/// `course.tar.gz`, `runtime.json` and a README. Returns the files written
/// and the uncommitted paths left out.
pub fn classroom50(build: &Build, out: &Path) -> Result<(Vec<PathBuf>, Vec<String>)> {
    if build.hidden_tests.is_some() {
        bail!(
            "Classroom 50 publishes an autograder's files on the organisation's GitHub Pages site, where a student can download them: hidden tests would not stay hidden. Grade hidden tests on Gradescope, or with `cargo workbook grade` on your machine."
        );
    }
    let rust = rust_version()?;
    let (archive, dirty) = course_archive(&build.root)?;
    let files = [
        ("autograder.py", fill(CLASSROOM50_AUTOGRADER, build, &rust).into_bytes()),
        ("course.tar.gz", archive),
        (
            "runtime.json",
            format!("{{\n  \"rust\": \"{rust}\",\n  \"apt\": [\"bubblewrap\"]\n}}\n").into_bytes(),
        ),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = out.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    let _ = std::fs::remove_dir_all(out.join("reference"));
    for (name, bytes) in reference_files(&build.reference)? {
        write_atomic(&out.join(name), &bytes)?;
    }
    written.push(out.join("reference"));
    Ok((written, dirty))
}

/// Writes Gradescope's autograder zip to `out`: `setup.sh`,
/// `run_autograder`, `course.tar.gz` and the hidden tests, at the root of
/// the archive. Returns the uncommitted paths left out.
pub fn gradescope(build: &Build, out: &Path) -> Result<Vec<String>> {
    let rust = rust_version()?;
    let (archive, dirty) = course_archive(&build.root)?;
    let mut entries: Vec<(String, Vec<u8>, u32)> = vec![
        ("setup.sh".into(), fill(GRADESCOPE_SETUP, build, &rust).into_bytes(), 0o755),
        ("run_autograder".into(), fill(GRADESCOPE_RUN, build, &rust).into_bytes(), 0o755),
        ("course.tar.gz".into(), archive, 0o644),
    ];
    for (name, bytes) in reference_files(&build.reference)? {
        entries.push((name, bytes, 0o644));
    }
    if let Some(dir) = &build.hidden_tests {
        ensure!(dir.is_dir(), "--hidden-tests {} is not a folder", dir.display());
        for found in walk(dir, &|_| false)? {
            ensure!(
                found.kind.is_file(),
                "{} is a link: copy the file itself",
                found.path.display()
            );
            let name = format!("hidden/{}", found.rel.to_string_lossy().replace('\\', "/"));
            let bytes = std::fs::read(&found.path)
                .with_context(|| format!("could not read {}", found.path.display()))?;
            entries.push((name, bytes, 0o644));
        }
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes, mode) in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(mode);
        zip.start_file(name.as_str(), options)?;
        zip.write_all(&bytes)?;
    }
    let bytes = zip.finish()?.into_inner();
    write_atomic(out, &bytes)?;
    Ok(dirty)
}
