//! Building an exercise's tests: fetching the course's crates once, the
//! build itself (sandboxed for untrusted code, with hidden tests built
//! apart), and reading cargo's report of the test binaries.

use super::*;

impl Engine {
    /// Fetches the crates the course depends on (outside any sandbox, with
    /// the network: it reads only the course's manifests and lock file),
    /// once per engine, so that the sandboxed builds find them all.
    pub(super) fn fetch(&self, workspace: &Path) -> Result<()> {
        let Some(toolchain) = self.sandbox.toolchain() else { return Ok(()) };
        let done = self.fetched.get_or_init(|| {
            let mut cmd = Command::new(&toolchain.cargo);
            cmd.args(["fetch", "--quiet"])
                .current_dir(workspace)
                .env("CARGO_HOME", &toolchain.cargo_home)
                .env("RUSTC", &toolchain.rustc)
                .stdin(Stdio::null());
            live::contain(&mut cmd, None);
            match run_capped(cmd, self.build_timeout, 64 * 1024) {
                Ok(out) if out.status.is_some_and(|s| s.success()) => Ok(()),
                Ok(out) => Err(format!("`cargo fetch` failed: {}", out.text.trim())),
                Err(e) => Err(format!("{e:#}")),
            }
        });
        if stopping() {
            return Err(Interrupted.into());
        }
        done.clone().map_err(|e| anyhow::anyhow!("could not fetch the course's crates: {e}"))
    }

    /// Builds the exercise's test binaries. `Err` only when cargo itself
    /// could not work; code that does not compile is [`Build::Failed`].
    /// `hidden`: the build that adds these hidden test targets, in which
    /// everything else of the exercise must be fresh already.
    pub(super) fn build(
        &self,
        workspace: &Path,
        target: &Path,
        ex: &Exercise,
        hidden: Option<&BTreeSet<String>>,
    ) -> Result<Build> {
        self.fetch(workspace)?;
        let package = ex.package();
        let mut args = vec![
            "test",
            "--no-run",
            "--message-format=json-render-diagnostics",
            "--color=never",
            "--quiet",
        ];
        // An untrusted build's fresh home, alive until the build is done.
        let mut home = None;
        let mut cmd = if self.sandbox.untrusted() {
            args.push("--offline");
            args.extend(["--package", &package]);
            let dir = home.insert(TempDir::new("build-home")?).path();
            if let Some(accounts) = self.sandbox.as_accounts() {
                // The build account owns what the build writes, and nothing else.
                accounts.give(target, accounts.build)?;
                accounts.give(dir, accounts.build)?;
                // cargo may rewrite the lock file (the slot's is the course's,
                // copied again before every run).
                accounts.give(&workspace.join("Cargo.lock"), accounts.build)?;
            }
            let cmd = self.sandbox.cargo(workspace, target, dir, &args);
            cmd.context("an untrusted build has a toolchain")?
        } else {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            args.extend(["--package", &package]);
            let mut cmd = Command::new(cargo);
            cmd.args(&args)
                .current_dir(workspace)
                .env("CARGO_TARGET_DIR", target)
                .env_remove("CARGO_MANIFEST_DIR")
                .env_remove("CARGO_PRIMARY_PACKAGE");
            cmd
        };
        let out = anonymous_file("build-out")?;
        let err = anonymous_file("build-err")?;
        cmd.stdin(Stdio::null()).stdout(out.try_clone()?).stderr(err.try_clone()?);
        let status = self.wait_for_build(cmd)?;
        drop(home);
        let Some(status) = status else {
            let diagnostics =
                format!("the build did not finish within {} s", self.build_timeout.as_secs());
            return Ok(Build::Failed { diagnostics });
        };
        let stdout = read_capped(out, 64 * 1024 * 1024)?;
        let stderr = read_capped(err, 1024 * 1024)?;
        let mut binaries = Vec::new();
        let mut rebuilt = Vec::new();
        for line in stdout.lines() {
            let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else { continue };
            let ours = msg["package_id"]
                .as_str()
                .is_some_and(|id| id.contains(&format!("exercise-{}", ex.id)));
            if msg["reason"] != "compiler-artifact" || !ours {
                continue;
            }
            let name = msg["target"]["name"].as_str().unwrap_or("tests").to_string();
            if let Some(hidden) = hidden
                && !hidden.contains(&name)
                && msg["fresh"] != true
            {
                rebuilt.push(name.clone());
            }
            if msg["profile"]["test"] == true
                && let Some(exe) = msg["executable"].as_str()
            {
                binaries.push(TestBinary { suite: name, path: PathBuf::from(exe), hidden: false });
            }
        }
        if !rebuilt.is_empty() {
            bail!(
                "exercise {}'s code was compiled again in the build of the hidden tests ({}), where it could read them; it was not graded",
                ex.id,
                rebuilt.join(", ")
            );
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

    /// Runs a build command to its end or to the build timeout (`None`).
    /// Untrusted builds run in a process group of their own, killed whole
    /// at the timeout or when the grader stops; the learner's build stays in
    /// the terminal's group, so that Ctrl-C reaches cargo as before.
    pub(super) fn wait_for_build(
        &self,
        mut cmd: Command,
    ) -> Result<Option<std::process::ExitStatus>> {
        use wait_timeout::ChildExt;
        if self.sandbox.untrusted() {
            live::contain(&mut cmd, None);
        }
        let mut live = live::spawn(&mut cmd).context("could not start cargo")?;
        let status = live.child.wait_timeout(self.build_timeout)?;
        if status.is_none() {
            live.kill_group();
            let _ = live.child.wait();
        }
        drop(live);
        if stopping() {
            return Err(Interrupted.into());
        }
        Ok(status)
    }
}
