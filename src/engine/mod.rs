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
//!
//! # Untrusted code
//!
//! When the engine grades a submission ([`Sandbox::untrusted`]), every
//! process that compiles or runs its code is confined (see [`Sandbox`] for
//! what bubblewrap lets each step see), and a run goes further:
//!
//! - **The build sees no secret.** The submission's code runs nowhere at
//!   build time (its `build.rs`, manifests and tests are never taken, and it
//!   can use only the course's dependencies), but it can *read* files while
//!   it compiles: `include_str!`, `include_bytes!`, `#[path]`, and the
//!   compiler's errors quote what they read. So the build runs in the
//!   sandbox too, seeing the toolchain, the registry, the slot and its
//!   target folder, with a clean environment (`env!` finds nothing).
//! - **Hidden tests are built apart.** The instructor's hidden tests are not
//!   in the slot when the submission's crate compiles. The exercise is built
//!   first without them; then the hidden test files are written into its
//!   `tests/` folder and `cargo test --no-run` runs again, which compiles
//!   only the new test targets against the library already built. The
//!   engine checks cargo's report that the library and the public tests were
//!   fresh in that second build (else the run fails rather than let the
//!   submission's code be compiled beside the hidden sources). A hidden test
//!   that does not compile against the submission is a build failure whose
//!   diagnostics (which would quote the hidden code) are never shown. The
//!   hidden sources are removed before any test runs.
//! - **Tests see only their binary.** A test process sees the slot (the
//!   public course and this submission's sources) read-only, and of the
//!   target folder only the one test binary it runs: not the hidden tests'
//!   binaries, not other submissions' compiled code.
//! - **Nothing of one submission is left for the next.** Before and after
//!   every run, the exercises' and hidden tests' artifacts are deleted from
//!   the slot's target folder (compiled code and cargo's saved compiler
//!   messages), so no later build can read them (see `slot::Purge`). The
//!   dependencies' artifacts (the course's, public) stay, so a run still
//!   rebuilds only the exercise.
//! - **A time budget** ([`Engine::budget`]) bounds one run, build included:
//!   when it is spent, the tests not yet finished are [`Status::NotRun`].
//! - **Nothing outlives the engine** (see [`stop_all`]): every process is in
//!   a process group of its own, listed while it lives, and dies with the
//!   thread that started it.
//!
//! - **Without bubblewrap, as root** (a platform's container), the same
//!   steps run as unprivileged accounts instead: see `accounts.rs`.
//!
//! What the engine cannot hide: a hidden test's compiled code, expected
//! values included, runs in the same process as the submission, which could
//! read its own memory; but nothing a hidden test's process prints reaches
//! the learner (only its verdict and the instructor's description).

mod accounts;
mod build;
mod capture;
mod libtest;
mod live;
mod process;
mod report;
mod run;
mod slot;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

pub use libtest::failure_message;
pub use live::{Interrupted, is_interrupted, stop_all, stopping, untrusted_code_supported};
pub use process::{Bwrap, Sandbox, Toolchain};
pub use report::{Outcome, Points, Report, Status, TestResult};

use crate::course::manifest::Exercise;
use crate::course::sources::Sources;
use crate::util::fs::{TempDir, anonymous_file, read_capped};
use crate::util::parallel;
use capture::run_capped;
use libtest::{is_clean_pass, last_lines};
use process::View;

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
    /// How the processes that build and run code are isolated.
    pub sandbox: Sandbox,
    /// Address-space limit of a test process, in bytes.
    pub memory_limit: Option<u64>,
    /// Wall-clock time for one run of [`Engine::run_with`], build included,
    /// counted from when the run has its slot: when it is spent, the tests
    /// not finished yet are [`Status::NotRun`] (a build is never cut short
    /// by it). `None`: no limit.
    pub budget: Option<Duration>,
    /// Whether the crates of the course were fetched (once per engine, before
    /// the first build that cannot reach the network).
    fetched: Arc<OnceLock<Result<(), String>>>,
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
    pub(super) suite: String,
    pub(super) path: PathBuf,
    /// One of the instructor's hidden test files.
    pub(super) hidden: bool,
}

/// One test to run, in its binary.
struct TestToRun<'a> {
    pub(super) binary: &'a TestBinary,
    pub(super) name: String,
    /// How many other tests the binary holds (libtest counts them as
    /// filtered out when one test runs).
    pub(super) others: usize,
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

impl TestFile {
    /// The test target's name: the file name without `.rs`.
    pub fn suite(&self) -> &str {
        self.name.trim_end_matches(".rs")
    }
}

/// The diagnostics shown when the hidden tests do not compile: never the
/// compiler's, which quote the hidden code.
const HIDDEN_BUILD_FAILED: &str = "the instructor's hidden tests do not compile against this code (the compiler's messages are not shown: they quote the hidden tests). Check that every function keeps the signature the stub gives it.";

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
            budget: None,
            fetched: Arc::default(),
        }
    }

    /// Runs exercise `ex`'s tests with `sources` as its `src/`, in a pristine
    /// copy of the course.
    pub fn run(&self, ex: &Exercise, sources: &Sources) -> Result<Report> {
        self.run_with(ex, sources, &Extras::default())
    }

    /// [`Engine::run`] with extra test files for this run only.
    pub fn run_with(&self, ex: &Exercise, sources: &Sources, extras: &Extras) -> Result<Report> {
        for TestFile { name, .. } in &extras.tests {
            if name.contains('/') || name.contains('\\') || !name.ends_with(".rs") {
                bail!("an extra test file must be a plain `NAME.rs`, not {name}");
            }
        }
        let slot = self.lock_slot()?;
        // The budget starts once the slot is ours: waiting for it is not the submission's doing.
        let start = Instant::now();
        let target = slot.target();
        // A fresh slot's target folder must exist before the sandbox can bind it.
        std::fs::create_dir_all(&target)
            .with_context(|| format!("could not create {}", target.display()))?;
        // Untrusted code finds no other submission's artifacts, and leaves none.
        let _purge = self.sandbox.untrusted().then(|| slot::Purge::new(&target));
        self.prepare(&slot.dir, ex, sources)?;
        let report = self.build_and_test(&slot.dir, &target, ex, extras, start);
        if stopping() {
            return Err(Interrupted.into());
        }
        report
    }

    /// Runs exercise `ex`'s tests on the course as it is on disk (the
    /// learner's own files and tests), building into the course's `target/`.
    pub fn run_in_place(&self, ex: &Exercise) -> Result<Report> {
        self.build_and_test(&self.course, &self.target, ex, &Extras::default(), Instant::now())
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

    fn build_and_test(
        &self,
        workspace: &Path,
        target: &Path,
        ex: &Exercise,
        extras: &Extras,
        start: Instant,
    ) -> Result<Report> {
        let failed = |diagnostics: String| {
            Ok(Report { exercise: ex.id.clone(), outcome: Outcome::BuildFailed { diagnostics } })
        };
        let mut binaries = match self.build(workspace, target, ex, None)? {
            Build::Built(binaries) => binaries,
            Build::Failed { diagnostics } => return failed(diagnostics),
        };
        if !extras.tests.is_empty() {
            // The submission's crate is built: only now do the hidden tests
            // appear, for a build of their own, and they are gone again
            // before any test runs.
            let tests_dir = workspace.join(ex.dir()).join("tests");
            let hidden = slot::HiddenFiles::write(&tests_dir, &extras.tests)?;
            let suites: BTreeSet<String> =
                extras.tests.iter().map(|t| t.suite().to_string()).collect();
            let build = self.build(workspace, target, ex, Some(&suites))?;
            hidden.remove()?;
            match build {
                Build::Built(all) => binaries = all,
                Build::Failed { .. } => return failed(HIDDEN_BUILD_FAILED.to_string()),
            }
            for binary in &mut binaries {
                binary.hidden = suites.contains(&binary.suite);
            }
        }
        let deadline = self.budget.map(|b| start + b);
        let cwd = workspace.join(ex.dir());
        // The public tests first, then the hidden ones: no process of a
        // public test is left when a hidden test starts (see `Accounts`).
        let (hidden, public): (Vec<&TestBinary>, Vec<&TestBinary>) =
            binaries.iter().partition(|b| b.hidden);
        let mut results = Vec::new();
        for phase in [public, hidden] {
            if phase.is_empty() {
                continue;
            }
            let is_hidden = phase[0].hidden;
            self.start_phase(&phase, target)?;
            let ran = self.run_phase(&phase, &cwd, target, deadline);
            self.end_phase(is_hidden, target)?;
            results.extend(ran?);
        }
        if results.is_empty() {
            bail!(
                "exercise {} has no tests: {} has no tests/ folder with #[test] functions",
                ex.id,
                ex.dir().display()
            );
        }
        Ok(Report { exercise: ex.id.clone(), outcome: Outcome::Tested { tests: results } })
    }

    /// Lists and runs the tests of `binaries`.
    fn run_phase(
        &self,
        binaries: &[&TestBinary],
        cwd: &Path,
        target: &Path,
        deadline: Option<Instant>,
    ) -> Result<Vec<TestResult>> {
        let mut tests = Vec::new();
        for binary in binaries {
            let names = self.list_tests(binary, cwd, target)?;
            let others = names.len().saturating_sub(1);
            for name in names {
                tests.push(TestToRun { binary, name, others });
            }
        }
        self.run_tests(cwd, target, &tests, deadline)
    }

    /// As unprivileged accounts: the phase's account (and no other) may
    /// execute its test binaries, not read them, and owns a fresh
    /// `CARGO_TARGET_TMPDIR`.
    fn start_phase(&self, binaries: &[&TestBinary], target: &Path) -> Result<()> {
        let Some(accounts) = self.sandbox.as_accounts() else { return Ok(()) };
        let id = if binaries.iter().any(|b| b.hidden) { accounts.hidden } else { accounts.test };
        for binary in binaries {
            accounts.executable_by(&binary.path, target, id)?;
        }
        let tmp = target.join("tmp");
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp)?;
        accounts.give(&tmp, id)?;
        // The slot's target folder must be passable to reach it.
        accounts.passable(&tmp, target)
    }

    /// As unprivileged accounts: every process of the phase's account is
    /// killed and its scratch files removed.
    fn end_phase(&self, hidden: bool, target: &Path) -> Result<()> {
        let Some(accounts) = self.sandbox.as_accounts() else { return Ok(()) };
        let id = if hidden { accounts.hidden } else { accounts.test };
        accounts.end_phase(id, &target.join("tmp"))
    }
}

/// The workspace of an exercise's folder (`WORKSPACE/exercises/exercise-NN`).
fn workspace_of(exercise_dir: &Path) -> PathBuf {
    exercise_dir.parent().and_then(Path::parent).unwrap_or(exercise_dir).to_path_buf()
}
