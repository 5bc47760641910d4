//! The grading engine: the one answer to every question the course asks of code.
//!
//! *Put these source files into a pristine copy of the workspace, run that
//! exercise's tests, and report which tests passed, with their messages.*
//!
//! The learner's course map, the course's own consistency tests and the
//! instructor's grader all call [`Engine::run`].
//!
//! How a run works:
//! 1. A *slot* — a folder under `target/workbook/slots/` — holds a copy of the
//!    course's crates (exercises, solutions, support) and a workspace
//!    manifest without the root package. Only the graded exercise's `src/`
//!    comes from the caller; tests, snapshots, manifests and data always come
//!    from the course. Files are rewritten only when their content changes, so
//!    cargo rebuilds only what changed. A slot is locked while in use.
//! 2. `cargo test --no-run` builds the exercise's test binaries into the
//!    slot's own target directory, shared by every run in that slot, so
//!    dependencies are built once and a run recompiles only the crate that
//!    changed. (Slots never share a target directory with each other or with
//!    the learner's `target/`: cargo names a workspace member's artifacts by
//!    its path *relative* to the workspace, and decides freshness by file
//!    times, so two workspaces sharing one target directory could run each
//!    other's binaries.) A compile error is a result
//!    ([`Outcome::BuildFailed`]), not a crash.
//!
//! [`Engine::run_in_place`] skips step 1 for the learner's own progress: it
//! builds in the course itself, into its `target/`, exactly what
//! `cargo test -p exercise-ID` builds, so the learner never waits for a
//! second copy of the build.
//! 3. Each test runs in a process of its own (`--exact NAME`), with a
//!    wall-clock timeout and capped output, so a test that loops forever,
//!    overflows its stack or exits the process cannot take the others with it.

mod libtest;
mod process;
mod report;
mod slot;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use wait_timeout::ChildExt;

pub use libtest::failure_message;
pub use process::Sandbox;
pub use report::{Outcome, Points, Report, Status, TestResult};

use crate::course::manifest::Exercise;
use crate::course::sources::Sources;
use crate::util::fs::{TempDir, anonymous_file, read_capped, write_if_changed};
use crate::util::parallel;
use libtest::{is_clean_pass, last_lines};
use process::run_capped;

/// Settings of the engine.
#[derive(Clone, Debug)]
pub struct Engine {
    /// The pristine course: the folder holding `course.toml`.
    pub course: PathBuf,
    /// Where slots live; slot N is `slots/N` with target directory `slots/N-target`.
    pub slots: PathBuf,
    /// Number of slots (pristine copies that can be used at the same time).
    pub slot_count: usize,
    /// The course's own cargo target directory, used by [`Engine::run_in_place`].
    pub target: PathBuf,
    /// Wall-clock limit for one test.
    pub test_timeout: Duration,
    /// Wall-clock limit for building one exercise.
    pub build_timeout: Duration,
    /// Tests run at the same time.
    pub jobs: usize,
    /// Bytes of a test's output that are kept (the rest is read and dropped,
    /// so a test that prints megabytes is neither blocked nor stored).
    pub output_cap: usize,
    /// How test processes are isolated.
    pub sandbox: Sandbox,
    /// Address-space limit of a test process, in bytes.
    pub memory_limit: Option<u64>,
}

/// What building an exercise's tests gave.
enum Build {
    Built(Vec<TestBinary>),
    /// The code does not compile: the compiler's errors.
    Failed {
        diagnostics: String,
    },
}

/// One test binary of an exercise.
struct TestBinary {
    /// Cargo's test target name, e.g. `exercise_01`.
    suite: String,
    path: PathBuf,
}

/// One test to run, in its binary.
struct TestToRun<'a> {
    binary: &'a TestBinary,
    name: String,
    /// How many other tests the binary holds (libtest counts them as
    /// filtered out when one test runs).
    others: usize,
}

/// Extra files for one run.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    /// Test files added to the exercise's `tests/` for this run only: the
    /// instructor's hidden tests.
    pub tests: Vec<TestFile>,
}

/// A test file: its name in the exercise's `tests/` folder, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestFile {
    /// A plain `NAME.rs`.
    pub name: String,
    pub text: String,
}

impl Engine {
    /// An engine for the course at `course`, using its `target/` folder.
    pub fn new(course: &Path) -> Engine {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .map(|t| if t.is_absolute() { t } else { course.join(t) })
            .unwrap_or_else(|| course.join("target"));
        Engine {
            course: course.to_path_buf(),
            slots: target.join("workbook").join("slots"),
            slot_count: 1,
            target,
            test_timeout: Duration::from_secs(20),
            build_timeout: Duration::from_secs(600),
            jobs: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            output_cap: 256 * 1024,
            sandbox: Sandbox::None,
            memory_limit: None,
        }
    }

    /// Runs exercise `ex`'s tests with `sources` as its `src/`, in a pristine
    /// copy of the course.
    pub fn run(&self, ex: &Exercise, sources: &Sources) -> Result<Report> {
        self.run_with(ex, sources, &Extras::default())
    }

    /// [`Engine::run`] with extra test files for this run only.
    pub fn run_with(&self, ex: &Exercise, sources: &Sources, extras: &Extras) -> Result<Report> {
        let slot = self.lock_slot()?;
        self.prepare(&slot.dir, ex, sources)?;
        let tests_dir = slot.dir.join(ex.dir()).join("tests");
        for TestFile { name, text } in &extras.tests {
            if name.contains('/') || name.contains('\\') || !name.ends_with(".rs") {
                bail!("an extra test file must be a plain `NAME.rs`, not {name}");
            }
            write_if_changed(&tests_dir.join(name), text.as_bytes())?;
        }
        let report = self.build_and_test(&slot.dir, &slot.target(), ex);
        drop(slot);
        report
    }

    /// Runs exercise `ex`'s tests on the course as it is on disk (the
    /// learner's own files and tests), building into the course's `target/`.
    pub fn run_in_place(&self, ex: &Exercise) -> Result<Report> {
        self.build_and_test(&self.course, &self.target, ex)
    }

    /// Runs `cargo run -p exercise-ID --example NAME -- ARGS` on the learner's
    /// own files (`sources: None`, in place) or, in a pristine slot, on
    /// `sources`. The example's output is returned; a build failure, a panic
    /// or the timeout is an `Err` with what went wrong.
    pub fn run_example(
        &self,
        ex: &Exercise,
        sources: Option<&Sources>,
        example: &str,
        args: &[&std::ffi::OsStr],
    ) -> Result<String> {
        let (slot, workspace, target) = match sources {
            None => (None, self.course.clone(), self.target.clone()),
            Some(files) => {
                let slot = self.lock_slot()?;
                self.prepare(&slot.dir, ex, files)?;
                let target = slot.target();
                let dir = slot.dir.clone();
                (Some(slot), dir, target)
            }
        };
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.args(["run", "--quiet", "--color=never", "--package"])
            .arg(ex.package())
            .args(["--example", example, "--"])
            .args(args)
            .current_dir(&workspace)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("CARGO_MANIFEST_DIR")
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null());
        let out = run_capped(cmd, self.build_timeout, 256 * 1024)?;
        drop(slot);
        match out.status {
            None => bail!("it did not finish within {} s", self.build_timeout.as_secs()),
            Some(status) if !status.success() => bail!("{}", out.text.trim()),
            Some(_) => Ok(out.stdout),
        }
    }

    fn build_and_test(&self, workspace: &Path, target: &Path, ex: &Exercise) -> Result<Report> {
        let binaries = match self.build(workspace, target, ex)? {
            Build::Built(binaries) => binaries,
            Build::Failed { diagnostics } => {
                return Ok(Report {
                    exercise: ex.id.clone(),
                    outcome: Outcome::BuildFailed { diagnostics },
                });
            }
        };
        let cwd = workspace.join(ex.dir());
        let mut tests = Vec::new();
        for binary in &binaries {
            let names = self.list_tests(&binary.path, &cwd, target)?;
            let others = names.len().saturating_sub(1);
            for name in names {
                tests.push(TestToRun { binary, name, others });
            }
        }
        if tests.is_empty() {
            bail!(
                "exercise {} has no tests: {} has no tests/ folder with #[test] functions",
                ex.id,
                ex.dir().display()
            );
        }
        let results = self.run_tests(&cwd, target, &tests);
        Ok(Report { exercise: ex.id.clone(), outcome: Outcome::Tested { tests: results } })
    }

    /// Builds the exercise's test binaries. `Err` only when cargo itself
    /// could not work; code that does not compile is [`Build::Failed`].
    fn build(&self, workspace: &Path, target: &Path, ex: &Exercise) -> Result<Build> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let out = anonymous_file("build-out")?;
        let err = anonymous_file("build-err")?;
        let mut child = Command::new(cargo)
            .args([
                "test",
                "--no-run",
                "--message-format=json-render-diagnostics",
                "--color=never",
                "--quiet",
                "--package",
            ])
            .arg(ex.package())
            .current_dir(workspace)
            .env("CARGO_TARGET_DIR", target)
            .env_remove("CARGO_MANIFEST_DIR")
            .env_remove("CARGO_PRIMARY_PACKAGE")
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(err.try_clone()?)
            .spawn()
            .context("could not start cargo")?;
        let status = match child.wait_timeout(self.build_timeout)? {
            Some(status) => status,
            None => {
                let _ = child.kill();
                let _ = child.wait();
                let diagnostics =
                    format!("the build did not finish within {} s", self.build_timeout.as_secs());
                return Ok(Build::Failed { diagnostics });
            }
        };
        let stdout = read_capped(out, 64 * 1024 * 1024)?;
        let stderr = read_capped(err, 1024 * 1024)?;
        let mut binaries = Vec::new();
        for line in stdout.lines() {
            let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else { continue };
            if msg["reason"] == "compiler-artifact"
                && msg["profile"]["test"] == true
                && msg["package_id"]
                    .as_str()
                    .is_some_and(|id| id.contains(&format!("exercise-{}", ex.id)))
                && let Some(exe) = msg["executable"].as_str()
            {
                let suite = msg["target"]["name"].as_str().unwrap_or("tests").to_string();
                binaries.push(TestBinary { suite, path: PathBuf::from(exe) });
            }
        }
        if !status.success() {
            let diagnostics = stderr.trim().to_string();
            if diagnostics.contains("error: failed to")
                && !diagnostics.contains("error[")
                && !diagnostics.contains("could not compile")
            {
                // cargo itself failed (manifest, network): that is not the learner's doing.
                bail!("cargo could not build exercise {}:\n{diagnostics}", ex.id);
            }
            return Ok(Build::Failed { diagnostics });
        }
        binaries.sort_by(|a, b| a.path.cmp(&b.path));
        binaries.dedup_by(|a, b| a.path == b.path);
        Ok(Build::Built(binaries))
    }

    /// Runs every test in a process of its own, [`Engine::jobs`] at a time.
    fn run_tests(&self, cwd: &Path, target: &Path, tests: &[TestToRun<'_>]) -> Vec<TestResult> {
        parallel::map(tests, self.jobs, |test| {
            self.run_one(cwd, target, test).unwrap_or_else(|e| TestResult {
                suite: test.binary.suite.clone(),
                name: test.name.clone(),
                status: Status::Crashed,
                message: format!("the test could not be run: {e:#}"),
                duration_ms: 0,
            })
        })
    }

    /// The names of the tests in a test binary.
    fn list_tests(&self, binary: &Path, cwd: &Path, target: &Path) -> Result<Vec<String>> {
        let home = TempDir::new("home")?;
        let mut cmd = self.test_command(binary, cwd, target, home.path(), &workspace_of(cwd));
        cmd.args(["--list", "--format=terse"]);
        let out = run_capped(cmd, self.test_timeout, 4 * 1024 * 1024)
            .with_context(|| format!("could not list the tests of {}", binary.display()))?;
        if out.status.is_none_or(|s| !s.success()) {
            bail!("{} --list failed: {}", binary.display(), out.text);
        }
        Ok(out
            .stdout
            .lines()
            .filter_map(|l| l.strip_suffix(": test"))
            .map(str::to_string)
            .collect())
    }

    fn run_one(&self, cwd: &Path, target: &Path, test: &TestToRun<'_>) -> Result<TestResult> {
        let (binary, name) = (&test.binary.path, test.name.as_str());
        let home = TempDir::new("home")?;
        let mut cmd = self.test_command(binary, cwd, target, home.path(), &workspace_of(cwd));
        cmd.args(["--exact", name, "--test-threads=1", "--color=never"]);
        let start = Instant::now();
        let out = run_capped(cmd, self.test_timeout, self.output_cap)
            .with_context(|| format!("could not start {}", binary.display()))?;
        let duration_ms = start.elapsed().as_millis() as u64;
        let result = |status, message| TestResult {
            suite: test.binary.suite.clone(),
            name: name.to_string(),
            status,
            message,
            duration_ms,
        };
        let Some(status) = out.status else {
            return Ok(result(
                Status::TimedOut,
                format!(
                    "the test did not finish within {} s and was stopped.\n  hint:     look for a loop that never ends (a condition that never becomes false, an iteration count that never decreases)",
                    self.test_timeout.as_secs()
                ),
            ));
        };
        let output = &out.text;
        Ok(if status.success() && is_clean_pass(&out.stdout, test.others) {
            result(Status::Passed, String::new())
        } else if let Some(message) = failure_message(output, name) {
            result(Status::Failed, message)
        } else {
            let tail: String = last_lines(output, 15);
            let why = if output.contains("has overflowed its stack") {
                "it overflowed its stack (endless recursion?)".to_string()
            } else if output.contains("memory allocation of") {
                "it ran out of memory (it allocated more than the limit)".to_string()
            } else if status.success() {
                "it ended the test process before the test finished (std::process::exit?)"
                    .to_string()
            } else {
                match status.code() {
                    Some(code) => format!("the test process exited with code {code}"),
                    None => "the test process was killed by a signal".to_string(),
                }
            };
            result(Status::Crashed, format!("the test crashed: {why}\n{tail}"))
        })
    }
}

/// The workspace of an exercise's folder (`WORKSPACE/exercises/exercise-NN`).
fn workspace_of(exercise_dir: &Path) -> PathBuf {
    exercise_dir.parent().and_then(Path::parent).unwrap_or(exercise_dir).to_path_buf()
}
