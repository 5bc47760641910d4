//! Running an exercise's tests: each in a process of its own, in parallel,
//! within the time budget, and reading what each one reported.

use super::*;

impl Engine {
    /// Runs every test in a process of its own, [`Engine::jobs`] at a time;
    /// past the `deadline`, a test is not started (or is stopped) and
    /// counts as [`Status::NotRun`].
    pub(super) fn run_tests(
        &self,
        cwd: &Path,
        target: &Path,
        tests: &[TestToRun<'_>],
        deadline: Option<Instant>,
    ) -> Result<Vec<TestResult>> {
        let results = parallel::map(tests, self.jobs, |test| {
            let mut timeout = self.test_timeout;
            if let Some(deadline) = deadline {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Ok(self.not_run(test));
                }
                timeout = timeout.min(left);
            }
            match self.run_one(cwd, target, test, timeout) {
                Ok(r) if r.status == Status::TimedOut && timeout < self.test_timeout => {
                    Ok(self.not_run(test))
                }
                Ok(r) => Ok(r),
                Err(e) if is_interrupted(&e) => Err(e),
                Err(e) => Ok(TestResult {
                    suite: test.binary.suite.clone(),
                    name: test.name.clone(),
                    status: Status::Crashed,
                    message: format!("the test could not be run: {e:#}"),
                    duration_ms: 0,
                }),
            }
        });
        results.into_iter().collect()
    }

    /// The result of a test that the time budget left no time for.
    pub(super) fn not_run(&self, test: &TestToRun<'_>) -> TestResult {
        let budget = self.budget.unwrap_or_default().as_secs();
        TestResult {
            suite: test.binary.suite.clone(),
            name: test.name.clone(),
            status: Status::NotRun,
            message: format!(
                "not run: the time budget of {budget} s for this exercise was spent (earlier tests ran out of time)"
            ),
            duration_ms: 0,
        }
    }

    /// The command that runs a test binary, with what it may see and a
    /// fresh `home` (also its TMPDIR).
    pub(super) fn test_command(
        &self,
        test: &TestBinary,
        cwd: &Path,
        target: &Path,
        home: &Path,
    ) -> Result<Command> {
        let binary = &test.path;
        let workspace = workspace_of(cwd);
        let view = View {
            readable: vec![workspace.clone(), binary.to_path_buf()],
            writable: vec![home.to_path_buf()],
            // Tests may write scratch files under cargo's CARGO_TARGET_TMPDIR.
            scratch: vec![target.join("tmp")],
            toolchain: false,
            hidden: test.hidden,
        };
        if let Some(accounts) = self.sandbox.as_accounts() {
            accounts.give(home, accounts.id_for(&view))?;
        }
        if self.sandbox.is_sandboxed() {
            let _ = std::fs::create_dir_all(target.join("tmp"));
        }
        let mut cmd = self.sandbox.run(&view, cwd, binary);
        if self.sandbox.untrusted() {
            cmd.env_clear().env("PATH", "/usr/bin:/bin");
        } else {
            cmd.env_remove("RUST_TEST_THREADS").env_remove("RUST_TEST_NOCAPTURE");
        }
        cmd.env("HOME", home)
            .env("TMPDIR", home)
            .env("RUST_BACKTRACE", "0")
            .env("INSTA_UPDATE", "no")
            // insta would otherwise ask `cargo metadata` for the workspace,
            // which fails with the fresh home (rustup finds no toolchain).
            .env("INSTA_WORKSPACE_ROOT", &workspace)
            .env("INSTA_FORCE_PASS", "0")
            .stdin(Stdio::null());
        live::contain(&mut cmd, self.memory_limit);
        Ok(cmd)
    }

    /// The names of the tests in a test binary.
    pub(super) fn list_tests(
        &self,
        binary: &TestBinary,
        cwd: &Path,
        target: &Path,
    ) -> Result<Vec<String>> {
        let home = TempDir::new("home")?;
        let mut cmd = self.test_command(binary, cwd, target, home.path())?;
        cmd.args(["--list", "--format=terse"]);
        let out = run_capped(cmd, self.test_timeout, 4 * 1024 * 1024)
            .with_context(|| format!("could not list the tests of {}", binary.suite))?;
        if out.status.is_none_or(|s| !s.success()) {
            bail!("{} --list failed: {}", binary.path.display(), out.text);
        }
        Ok(out
            .stdout
            .lines()
            .filter_map(|l| l.strip_suffix(": test"))
            .map(str::to_string)
            .collect())
    }

    pub(super) fn run_one(
        &self,
        cwd: &Path,
        target: &Path,
        test: &TestToRun<'_>,
        timeout: Duration,
    ) -> Result<TestResult> {
        let (binary, name) = (&test.binary.path, test.name.as_str());
        let home = TempDir::new("home")?;
        let mut cmd = self.test_command(test.binary, cwd, target, home.path())?;
        cmd.args(["--exact", name, "--test-threads=1", "--color=never"]);
        let start = Instant::now();
        let out = run_capped(cmd, timeout, self.output_cap)
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
                    timeout.as_secs()
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
