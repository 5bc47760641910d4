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

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde::Serialize;
use wait_timeout::ChildExt;

use crate::manifest::Exercise;
use crate::sources::Sources;

/// What happened to one test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    Failed,
    /// Still running when the timeout struck.
    TimedOut,
    /// The test process died without reporting (stack overflow, abort, exit).
    Crashed,
}

/// One test's result.
#[derive(Clone, Debug, Serialize)]
pub struct TestResult {
    /// The test binary (cargo's test target name, e.g. `exercise_01`).
    pub suite: String,
    /// The test's name as the test binary lists it (`module::name`).
    pub name: String,
    pub status: Status,
    /// The failure message written for the learner (empty when passed).
    pub message: String,
    pub duration_ms: u64,
}

/// What a run produced.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// The tests were built and run.
    Tested { tests: Vec<TestResult> },
    /// The code did not compile; `diagnostics` holds the compiler's errors.
    BuildFailed { diagnostics: String },
}

/// The result of running one exercise's tests on one set of sources.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub exercise: String,
    pub outcome: Outcome,
}

impl Report {
    pub fn tests(&self) -> &[TestResult] {
        match &self.outcome {
            Outcome::Tested { tests } => tests,
            Outcome::BuildFailed { .. } => &[],
        }
    }
    pub fn passed(&self) -> usize {
        self.tests().iter().filter(|t| t.status == Status::Passed).count()
    }
    pub fn total(&self) -> usize {
        self.tests().len()
    }
    /// Whether the code built, has tests, and every one of them passed.
    pub fn all_passed(&self) -> bool {
        self.total() > 0 && self.passed() == self.total()
    }
    /// The first test that did not pass.
    pub fn first_failure(&self) -> Option<&TestResult> {
        self.tests().iter().find(|t| t.status != Status::Passed)
    }
    /// Points scored and possible, by the manifest's points.
    pub fn points(&self, ex: &Exercise) -> (f64, f64) {
        let names: Vec<String> = self.tests().iter().map(|t| t.name.clone()).collect();
        let mut got = 0.0;
        let mut max = 0.0;
        for t in self.tests() {
            let p = ex.points_for(&t.name, &names);
            max += p;
            if t.status == Status::Passed {
                got += p;
            }
        }
        (got, max)
    }
}

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

/// How a test process is isolated from everything it should not touch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sandbox {
    /// Run the test binary directly (the learner's own machine and code).
    None,
    /// Run it under bubblewrap: the whole file system read-only but for a
    /// fresh home (also its TMPDIR) and cargo's scratch folder, no network,
    /// its own process and session ids.
    Bwrap(PathBuf),
}

impl Sandbox {
    /// Bubblewrap if it is installed and works here, else `None`.
    pub fn detect() -> Sandbox {
        let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|d| d.join("bwrap"))
            .find(|p| p.is_file());
        let Some(bwrap) = found else { return Sandbox::None };
        let works = Command::new(&bwrap)
            .args([
                "--ro-bind",
                "/",
                "/",
                "--dev",
                "/dev",
                "--proc",
                "/proc",
                "--unshare-net",
                "--unshare-pid",
                "--die-with-parent",
                "true",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if works { Sandbox::Bwrap(bwrap) } else { Sandbox::None }
    }

    pub fn is_sandboxed(&self) -> bool {
        matches!(self, Sandbox::Bwrap(_))
    }
}

/// Extra files for one run.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    /// Test files added to the exercise's `tests/` for this run only (file
    /// name, content): the instructor's hidden tests.
    pub tests: Vec<(String, String)>,
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
        for (name, text) in &extras.tests {
            if name.contains('/') || name.contains('\\') || !name.ends_with(".rs") {
                bail!("an extra test file must be a plain `NAME.rs`, not {name}");
            }
            write_if_changed(&tests_dir.join(name), text.as_bytes())?;
        }
        let target = slot.dir.with_file_name(format!(
            "{}-target",
            slot.dir.file_name().unwrap_or_default().to_string_lossy()
        ));
        let report = self.build_and_test(&slot.dir, &target, ex);
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
                let target = slot.dir.with_file_name(format!(
                    "{}-target",
                    slot.dir.file_name().unwrap_or_default().to_string_lossy()
                ));
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
            Ok(binaries) => binaries,
            Err(diagnostics) => {
                return Ok(Report {
                    exercise: ex.id.clone(),
                    outcome: Outcome::BuildFailed { diagnostics },
                });
            }
        };
        let cwd = workspace.join(ex.dir());
        let mut tests = Vec::new();
        for (suite, binary) in &binaries {
            for name in self.list_tests(binary, &cwd, target)? {
                tests.push((suite.clone(), binary.clone(), name));
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

    fn lock_slot(&self) -> Result<Slot> {
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

    /// Makes `slot` a copy of the course with `sources` as `ex`'s `src/`.
    fn prepare(&self, slot: &Path, ex: &Exercise, sources: &Sources) -> Result<()> {
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
        remove_others(&src, &keep)?;
        Ok(())
    }

    /// Builds the test binaries: Ok(paths), or Err(diagnostics) when the code
    /// does not compile.
    fn build(
        &self,
        workspace: &Path,
        target: &Path,
        ex: &Exercise,
    ) -> Result<std::result::Result<Vec<(String, PathBuf)>, String>> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let out = tempfile_in(&std::env::temp_dir(), "build-out")?;
        let err = tempfile_in(&std::env::temp_dir(), "build-err")?;
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
                return Ok(Err(format!(
                    "the build did not finish within {} s",
                    self.build_timeout.as_secs()
                )));
            }
        };
        let stdout = read_file_capped(out, 64 * 1024 * 1024)?;
        let stderr = read_file_capped(err, 1024 * 1024)?;
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
                binaries.push((suite, PathBuf::from(exe)));
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
            return Ok(Err(diagnostics));
        }
        binaries.sort();
        binaries.dedup();
        Ok(Ok(binaries))
    }

    fn run_tests(
        &self,
        cwd: &Path,
        target: &Path,
        tests: &[(String, PathBuf, String)],
    ) -> Vec<TestResult> {
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<TestResult>>> = Mutex::new(vec![None; tests.len()]);
        std::thread::scope(|scope| {
            for _ in 0..self.jobs.max(1).min(tests.len()) {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some((suite, binary, name)) = tests.get(i) else { break };
                        let in_binary = tests.iter().filter(|(_, b, _)| b == binary).count();
                        let result = self
                            .run_one(cwd, target, suite, binary, name, in_binary)
                            .unwrap_or_else(|e| TestResult {
                                suite: suite.clone(),
                                name: name.clone(),
                                status: Status::Crashed,
                                message: format!("the test could not be run: {e:#}"),
                                duration_ms: 0,
                            });
                        results.lock().expect("no poisoned lock")[i] = Some(result);
                    }
                });
            }
        });
        results
            .into_inner()
            .expect("no poisoned lock")
            .into_iter()
            .map(|r| r.expect("every test ran"))
            .collect()
    }

    /// The command that runs a test binary: directly, or inside the sandbox.
    fn test_command(
        &self,
        binary: &Path,
        cwd: &Path,
        target: &Path,
        home: &Path,
        workspace: &Path,
    ) -> Command {
        let mut cmd = match &self.sandbox {
            Sandbox::None => Command::new(binary),
            Sandbox::Bwrap(bwrap) => {
                let mut cmd = Command::new(bwrap);
                // Everything read-only; the test's own home (also its TMPDIR) writable.
                cmd.args(["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]);
                // Tests may write scratch files under cargo's CARGO_TARGET_TMPDIR.
                let scratch = target.join("tmp");
                let _ = std::fs::create_dir_all(&scratch);
                cmd.arg("--tmpfs").arg(&scratch);
                cmd.arg("--bind").arg(home).arg(home);
                cmd.args([
                    "--unshare-net",
                    "--unshare-pid",
                    "--unshare-ipc",
                    "--die-with-parent",
                    "--new-session",
                ]);
                cmd.arg("--chdir").arg(cwd);
                cmd.arg("--").arg(binary);
                cmd
            }
        };
        cmd.current_dir(cwd)
            .env("HOME", home)
            .env("TMPDIR", home)
            .env("RUST_BACKTRACE", "0")
            .env("INSTA_UPDATE", "no")
            // insta would otherwise ask `cargo metadata` for the workspace,
            // which fails with the fresh home (rustup finds no toolchain).
            .env("INSTA_WORKSPACE_ROOT", workspace)
            .env("INSTA_FORCE_PASS", "0")
            .env_remove("RUST_TEST_THREADS")
            .env_remove("RUST_TEST_NOCAPTURE")
            .stdin(Stdio::null());
        let limit = self.memory_limit;
        // SAFETY: only async-signal-safe calls (setpgid, setrlimit) between fork and exec.
        unsafe {
            use std::os::unix::process::CommandExt;
            cmd.pre_exec(move || {
                libc::setpgid(0, 0);
                let no_core = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
                libc::setrlimit(libc::RLIMIT_CORE, &no_core);
                if let Some(bytes) = limit {
                    let mem = libc::rlimit {
                        rlim_cur: bytes as libc::rlim_t,
                        rlim_max: bytes as libc::rlim_t,
                    };
                    libc::setrlimit(libc::RLIMIT_AS, &mem);
                }
                Ok(())
            });
        }
        cmd
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

    fn run_one(
        &self,
        cwd: &Path,
        target: &Path,
        suite: &str,
        binary: &Path,
        name: &str,
        in_binary: usize,
    ) -> Result<TestResult> {
        let home = TempDir::new("home")?;
        let mut cmd = self.test_command(binary, cwd, target, home.path(), &workspace_of(cwd));
        cmd.args(["--exact", name, "--test-threads=1", "--color=never"]);
        let start = Instant::now();
        let out = run_capped(cmd, self.test_timeout, self.output_cap)
            .with_context(|| format!("could not start {}", binary.display()))?;
        let duration_ms = start.elapsed().as_millis() as u64;
        let result = |status, message| TestResult {
            suite: suite.to_string(),
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
        Ok(if status.success() && is_clean_pass(&out.stdout, in_binary.saturating_sub(1)) {
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

/// Whether a test binary's output is libtest's report of exactly this one
/// test passing: it starts the run of one test, its one summary line says one
/// passed and none failed, that summary is the last thing printed, and no
/// line reports a failure. A test that ends the process early
/// (`std::process::exit(0)`) never prints the summary; output the test
/// itself prints goes to libtest's capture, or, if written around it, sits
/// before the summary and does not change the verdict.
///
/// The summary must also count the other tests of the binary as filtered
/// out, which a forged summary printed by the code under test rarely gets
/// right; the grader flags code that could try (see `grade::suspicious`).
fn is_clean_pass(output: &str, filtered_out: usize) -> bool {
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    let summaries: Vec<&&str> = lines.iter().filter(|l| l.starts_with("test result: ")).collect();
    let expected = format!(
        "test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; {filtered_out} filtered out;"
    );
    lines.iter().filter(|l| **l == "running 1 test").count() == 1
        && summaries.len() == 1
        && summaries[0].starts_with(&expected)
        && lines.last().is_some_and(|l| l.starts_with("test result: ok. 1 passed"))
        && !lines.iter().any(|l| {
            l.starts_with("failures:") || l.starts_with("---- ") || l.ends_with(" ... FAILED")
        })
}

/// Output of a process run with a timeout.
struct Captured {
    /// `None` when the timeout struck and the process was killed.
    status: Option<std::process::ExitStatus>,
    /// stdout, cut at the cap.
    stdout: String,
    /// stdout, then stderr, each cut at the cap.
    text: String,
}

/// Runs `cmd` with both output streams read by threads that keep the first
/// `cap` bytes and drain the rest; kills its whole process group at the
/// timeout.
fn run_capped(mut cmd: Command, timeout: Duration, cap: usize) -> Result<Captured> {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    let readers: Vec<_> = [
        child.stdout.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
        child.stderr.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|stream| std::thread::spawn(move || read_stream_capped(stream, cap)))
    .collect();
    let status = match child.wait_timeout(timeout)? {
        Some(status) => Some(status),
        None => {
            // SAFETY: kill(2) on the process group the child made with setpgid.
            unsafe {
                libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
            }
            let _ = child.kill();
            let _ = child.wait();
            None
        }
    };
    let mut parts = readers.into_iter().map(|r| r.join().unwrap_or_default());
    let stdout = parts.next().unwrap_or_default();
    let text = format!("{stdout}{}", parts.next().unwrap_or_default());
    Ok(Captured { status, stdout, text })
}

/// Reads a stream to its end, keeping its first and its last `cap / 2`
/// bytes (libtest's verdict is at the end), and dropping the middle.
fn read_stream_capped(mut stream: impl Read, cap: usize) -> String {
    let half = cap / 2;
    let mut head = Vec::new();
    let mut tail = std::collections::VecDeque::new();
    let mut total = 0usize;
    let mut buf = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                total += n;
                let mut chunk = &buf[..n];
                let room = half.saturating_sub(head.len());
                if room > 0 {
                    let take = room.min(chunk.len());
                    head.extend_from_slice(&chunk[..take]);
                    chunk = &chunk[take..];
                }
                tail.extend(chunk.iter().copied());
                while tail.len() > half {
                    tail.pop_front();
                }
            }
        }
    }
    let mut text = String::from_utf8_lossy(&head).into_owned();
    if total > head.len() + tail.len() {
        text.push_str(&format!(
            "\n[output cut: {total} bytes in all; the first and last {half} kept]\n"
        ));
    }
    text.push_str(&String::from_utf8_lossy(&tail.into_iter().collect::<Vec<u8>>()));
    text
}

/// A temporary folder removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(stem: &str) -> Result<TempDir> {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::SeqCst);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .subsec_nanos();
        let dir = std::env::temp_dir()
            .join(format!("workbook-{stem}-{}-{n}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("could not create {}", dir.display()))?;
        Ok(TempDir(dir))
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Slot {
    dir: PathBuf,
    _lock: File,
}

/// The learner-facing part of libtest's report of a failed test: the panic
/// message, without the `thread '…' panicked at` line and the backtrace note.
pub fn failure_message(output: &str, name: &str) -> Option<String> {
    let header = format!("---- {name} stdout ----");
    let start = output.find(&header)? + header.len();
    let rest = &output[start..];
    let end = rest.find("\nfailures:\n").unwrap_or(rest.len());
    let body: Vec<&str> = rest[..end]
        .lines()
        .filter(|l| !(l.starts_with("thread '") && l.contains("panicked at")))
        .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE"))
        .collect();
    let text = body.join("\n").trim().to_string();
    Some(if text.is_empty() { "the test failed without a message".into() } else { text })
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// The workspace manifest of a slot: the course's, without the root package.
fn slot_manifest(root: &str) -> Result<Vec<u8>> {
    let mut doc: toml::Table =
        toml::from_str(root).context("the course's Cargo.toml does not parse")?;
    for key in [
        "package",
        "dependencies",
        "dev-dependencies",
        "build-dependencies",
        "bin",
        "lib",
        "test",
        "bench",
        "example",
        "target",
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
    Ok(format!(
        "# Written by the workbook's grading engine; do not edit.\n{}",
        toml::to_string(&doc)?
    )
    .into_bytes())
}

/// Writes `bytes` to `path` unless it already holds exactly them (so cargo's
/// fingerprints of unchanged files stay valid).
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create {}", parent.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("could not write {}", path.display()))
}

/// Makes `to` hold the same files as `from`, except paths (relative to
/// `from`) that `skip` accepts, which are left alone.
fn mirror(from: &Path, to: &Path, skip: &dyn Fn(&Path) -> bool) -> Result<()> {
    let mut wanted = BTreeSet::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = from.join(&rel);
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("could not list {}", dir.display()))?
        {
            let entry = entry?;
            let rel_child = rel.join(entry.file_name());
            if skip(&rel_child) {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(rel_child);
            } else if kind.is_file() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name.ends_with(".snap.new") || name.ends_with(".pending-snap") {
                    continue;
                }
                write_if_changed(&to.join(&rel_child), &std::fs::read(entry.path())?)?;
                wanted.insert(to.join(&rel_child));
            }
        }
    }
    // Remove what the course no longer has (but never inside skipped paths).
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = to.join(&rel);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let entry = entry?;
            let rel_child = rel.join(entry.file_name());
            if skip(&rel_child) {
                continue;
            }
            if entry.file_type()?.is_dir() {
                stack.push(rel_child);
            } else if !wanted.contains(&to.join(&rel_child)) {
                std::fs::remove_file(entry.path())?;
            }
        }
    }
    Ok(())
}

/// Removes every file under `dir` that is not in `keep`.
fn remove_others(dir: &Path, keep: &BTreeSet<PathBuf>) -> Result<()> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                stack.push(entry.path());
            } else if !keep.contains(&entry.path()) {
                std::fs::remove_file(entry.path())?;
            }
        }
    }
    Ok(())
}

static TEMP_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// An anonymous temporary file (deleted as soon as it is created, so nothing
/// is left behind even if the process is killed).
fn tempfile_in(dir: &Path, stem: &str) -> Result<File> {
    let n = TEMP_COUNTER.fetch_add(1, Ordering::SeqCst);
    let path = dir.join(format!(".{stem}-{}-{n}", std::process::id()));
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
fn read_file_capped(mut file: File, cap: u64) -> Result<String> {
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
    fn the_failure_message_is_the_panic_text_without_libtest_noise() {
        let output = "running 1 test\ntest t ... FAILED\n\nfailures:\n\n---- t stdout ----\n\nthread 't' panicked at tests/x.rs:3:5:\n\nf(1)\n  returned: 2\n  expected: 3\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\nfailures:\n    t\n\ntest result: FAILED. 0 passed; 1 failed;";
        assert_eq!(failure_message(output, "t").unwrap(), "f(1)\n  returned: 2\n  expected: 3");
        assert_eq!(failure_message("test result: ok. 1 passed", "t"), None);
    }

    #[test]
    fn only_libtests_own_report_of_one_passing_test_is_a_pass() {
        let real = "\nrunning 1 test\ntest t ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 9 filtered out; finished in 0.00s\n\n";
        assert!(is_clean_pass(real, 9));
        assert!(
            !is_clean_pass(real, 0),
            "a summary that does not count the other tests is not libtest's"
        );
        let spam = format!(
            "\nrunning 1 test\ntest t ... {}ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n",
            "x\n".repeat(1000)
        );
        assert!(
            is_clean_pass(&spam, 0),
            "output printed by a passing test does not change its verdict"
        );
        assert!(
            !is_clean_pass("\nrunning 1 test\ntest t ... ", 0),
            "an early exit(0) has no summary"
        );
        let fake = "\nrunning 1 test\ntest t ... test result: ok. 1 passed\n";
        assert!(!is_clean_pass(fake, 0), "a half-hearted fake summary is not a pass");
        let failed = "\nrunning 1 test\ntest t ... FAILED\n\nfailures:\n\n---- t stdout ----\nboom\n\nfailures:\n    t\n\ntest result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n";
        assert!(!is_clean_pass(failed, 0));
    }

    #[test]
    fn long_output_keeps_its_beginning_and_its_end() {
        let text = format!("start\n{}end\n", "x".repeat(100_000));
        let kept = read_stream_capped(text.as_bytes(), 1000);
        assert!(
            kept.starts_with("start") && kept.ends_with("end\n") && kept.contains("output cut"),
            "{}",
            kept.len()
        );
        assert!(kept.len() < 1200);
    }

    #[test]
    fn the_slot_manifest_drops_the_root_package() {
        let root = "[workspace]\nmembers = [\".\"]\n[workspace.dependencies]\na = \"1\"\n[package]\nname = \"workbook\"\n[dependencies]\nx = \"1\"\n[profile.dev]\nopt-level = 1\n";
        let out = String::from_utf8(slot_manifest(root).unwrap()).unwrap();
        let doc: toml::Table = toml::from_str(&out).unwrap();
        assert!(doc.get("package").is_none() && doc.get("dependencies").is_none());
        assert_eq!(doc["profile"]["dev"]["opt-level"].as_integer(), Some(1));
        assert_eq!(doc["workspace"]["members"].as_array().unwrap().len(), 3);
    }
}
