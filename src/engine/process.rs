//! Running a build or a test process: in the sandbox or not, with a time
//! limit, in a process group of its own (on Unix; see [`super::live`]), with
//! its output capped.
//!
//! # What a sandboxed process sees
//!
//! Under bubblewrap a process starts from an empty, read-only root and sees
//! only what is mounted into it ([`View`]):
//!
//! - always: `/usr` and the `/bin`, `/sbin`, `/lib*` links or folders next
//!   to it, read-only (the C library, the shell, the linker `cc`);
//!   `/etc/ld.so.cache` and `/etc/ld.so.conf*` (how the dynamic loader finds
//!   libraries); a fresh `/dev` and `/proc` (its own processes only); an
//!   empty `/tmp`; a fresh home folder of its own, also its `TMPDIR`;
//! - for a build, the toolchain: the sysroot of `rustc --print sysroot`
//!   (`rustc`, `cargo`, the standard library), `/etc/alternatives` (Debian's
//!   `cc` is a link through it), and `CARGO_HOME` as an empty folder into
//!   which only its `registry/` and `git/` caches are mounted, read-only (not
//!   its `config.toml`, `credentials.toml` or `bin/`);
//! - what the step needs of the course ([`View::readable`],
//!   [`View::writable`]): for a build the slot and its target folder,
//!   writable; for a test the slot read-only and the one test binary it runs,
//!   read-only, with an empty `CARGO_TARGET_TMPDIR`.
//!
//! Nothing else: not the instructor's home, not `/root`, not the rest of
//! `/etc`, not the other slots, not the grader's output. No network, its own
//! process, IPC and host-name namespaces, a new session (no terminal to
//! inject input into), no capabilities even when the grader runs as root,
//! and it dies with the grader (`--die-with-parent`). The environment is
//! emptied and only the variables the step needs are set, so no token or
//! password in the grader's environment reaches the code, at compile time
//! (`env!`, `option_env!`) or at run time.
//!
//! Without bubblewrap (`grade --no-sandbox`) the processes get the same
//! clean environment, limits and process-group handling, but see the whole
//! file system. On a platform where bubblewrap cannot run but the grader is
//! root, they run as unprivileged accounts instead (see [`Accounts`]).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use super::accounts::Accounts;
use super::live;

/// How the processes that build and run code are isolated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sandbox {
    /// The learner's own code on the learner's machine (the course map,
    /// `check`, `watch`): processes run directly, with the caller's
    /// environment, building with the `cargo` that started the tool.
    None,
    /// Untrusted code without a sandbox (`grade --no-sandbox`): a clean
    /// environment and the limits, but the whole file system is visible.
    Unconfined(Toolchain),
    /// Untrusted code under bubblewrap (see the module's documentation).
    Bwrap(Bwrap),
    /// Untrusted code as unprivileged accounts, without bubblewrap (an
    /// autograding platform's container, where the grader is root).
    Accounts(Box<Accounts>),
}

/// The Rust toolchain that builds untrusted code, called directly (not
/// through rustup's proxies, which need the rest of the home folder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toolchain {
    /// `rustc --print sysroot`.
    pub sysroot: PathBuf,
    pub cargo: PathBuf,
    pub rustc: PathBuf,
    /// `CARGO_HOME`; only its `registry/` and `git/` caches are used.
    pub cargo_home: PathBuf,
}

/// Bubblewrap, and what it mounts for a build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bwrap {
    pub program: PathBuf,
    pub toolchain: Toolchain,
    /// The grader runs as root: drop every capability inside (bubblewrap
    /// keeps them for root unless told).
    drop_capabilities: bool,
}

impl Toolchain {
    /// The toolchain that builds the course at `course` (its
    /// `rust-toolchain.toml`, if any, is honoured by asking from there).
    pub fn find(course: &Path) -> Result<Toolchain> {
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let out = Command::new(&rustc)
            .args(["--print", "sysroot"])
            .current_dir(course)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("could not run {} --print sysroot", rustc.display()))?;
        if !out.status.success() {
            bail!(
                "`rustc --print sysroot` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        let in_sysroot = |name: &str| {
            let p = sysroot.join("bin").join(name);
            p.is_file().then_some(p)
        };
        let rustc = in_sysroot("rustc")
            .with_context(|| format!("the toolchain at {} has no bin/rustc", sysroot.display()))?;
        let cargo = in_sysroot("cargo")
            .or_else(|| std::env::var_os("CARGO").map(PathBuf::from))
            .or_else(|| find_in_path("cargo"))
            .context("cargo was not found next to rustc nor on the PATH")?;
        let cargo_home = match std::env::var_os("CARGO_HOME") {
            Some(home) => PathBuf::from(home),
            None => {
                std::env::home_dir().context("no home folder to find CARGO_HOME in")?.join(".cargo")
            }
        };
        Ok(Toolchain { sysroot, cargo, rustc, cargo_home })
    }

    /// The environment of a build: the toolchain first on the PATH, a fresh
    /// home, and nothing of the caller's.
    fn build_env(&self, cmd: &mut Command, home: &Path, target: &Path) {
        let path = format!("{}:/usr/local/bin:/usr/bin:/bin", self.sysroot.join("bin").display());
        cmd.env_clear()
            .env("PATH", path)
            .env("HOME", home)
            .env("TMPDIR", home)
            .env("CARGO_HOME", &self.cargo_home)
            .env("RUSTC", &self.rustc)
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_TERM_COLOR", "never");
    }
}

/// A program on the PATH.
fn find_in_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

impl Sandbox {
    /// Bubblewrap around the course's toolchain, or why it cannot be used
    /// here (not installed, or the kernel refuses its namespaces).
    pub fn bubblewrap(course: &Path) -> Result<Sandbox> {
        live::untrusted_code_supported()?;
        let Some(program) = find_in_path("bwrap") else {
            bail!("bubblewrap (bwrap) is not installed");
        };
        let toolchain = Toolchain::find(course)?;
        let drop_capabilities = live::is_root();
        let bwrap = Bwrap { program, toolchain, drop_capabilities };
        // The sandbox a test gets, around `true`: it must start and succeed.
        let probe = View::default();
        let mut cmd = bwrap.command(&probe, Path::new("/"), Path::new("/bin/true"));
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
        let out =
            cmd.output().with_context(|| format!("could not run {}", bwrap.program.display()))?;
        if !out.status.success() {
            bail!(
                "bubblewrap is installed but cannot make a sandbox here: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(Sandbox::Bwrap(bwrap))
    }

    /// No sandbox for untrusted code: only a clean environment and limits.
    pub fn unconfined(course: &Path) -> Result<Sandbox> {
        live::untrusted_code_supported()?;
        Ok(Sandbox::Unconfined(Toolchain::find(course)?))
    }

    /// Untrusted code as unprivileged accounts (see [`Accounts`]), with
    /// their work files under `work`.
    pub fn accounts(course: &Path, work: &Path) -> Result<Sandbox> {
        live::untrusted_code_supported()?;
        Ok(Sandbox::Accounts(Box::new(Accounts::new(Toolchain::find(course)?, work)?)))
    }

    /// Makes `dir` (the instructor's hidden tests, the grader's output)
    /// unreadable to the accounts the code runs as, if it does.
    pub fn keep_private(&self, dir: &Path) -> Result<()> {
        match self {
            Sandbox::Accounts(accounts) => accounts.private(dir),
            _ => Ok(()),
        }
    }

    /// The accounts the code runs as, if it does.
    pub(super) fn as_accounts(&self) -> Option<&Accounts> {
        match self {
            Sandbox::Accounts(a) => Some(a),
            _ => None,
        }
    }

    pub fn is_sandboxed(&self) -> bool {
        matches!(self, Sandbox::Bwrap(_))
    }

    /// Whether the code is untrusted (a submission), not the learner's own.
    pub fn untrusted(&self) -> bool {
        !matches!(self, Sandbox::None)
    }

    pub(super) fn toolchain(&self) -> Option<&Toolchain> {
        match self {
            Sandbox::None => None,
            Sandbox::Unconfined(t) => Some(t),
            Sandbox::Bwrap(b) => Some(&b.toolchain),
            Sandbox::Accounts(a) => Some(&a.toolchain),
        }
    }

    /// `cargo ARGS` building untrusted code in `workspace` into `target`,
    /// with `home` as its home; `None` for the learner's own code (the
    /// caller builds as before).
    pub(super) fn cargo(
        &self,
        workspace: &Path,
        target: &Path,
        home: &Path,
        args: &[&str],
    ) -> Option<Command> {
        let toolchain = self.toolchain()?;
        let mut cmd = match self {
            Sandbox::Bwrap(bwrap) => {
                // bubblewrap binds only folders that exist: a fresh slot's
                // target folder does not yet (the first `grade` of a clone).
                let _ = std::fs::create_dir_all(target);
                let view = View {
                    writable: vec![workspace.into(), target.into(), home.into()],
                    toolchain: true,
                    ..View::default()
                };
                bwrap.command(&view, workspace, &toolchain.cargo)
            }
            _ => Command::new(&toolchain.cargo),
        };
        cmd.args(args).current_dir(workspace);
        toolchain.build_env(&mut cmd, home, target);
        if let Sandbox::Accounts(accounts) = self {
            // The cargo home is the build account's own, with the registry
            // linked read-only (the caller gave it the target and the home).
            cmd.env("CARGO_HOME", &accounts.cargo_home);
            accounts.run_as(&mut cmd, accounts.build);
        }
        Some(cmd)
    }

    /// Runs `program` (a test binary) with `view`: directly, or inside the
    /// sandbox. The caller sets the environment.
    pub(super) fn run(&self, view: &View, cwd: &Path, program: &Path) -> Command {
        let mut cmd = match self {
            Sandbox::Bwrap(bwrap) => bwrap.command(view, cwd, program),
            Sandbox::None | Sandbox::Unconfined(_) => Command::new(program),
            Sandbox::Accounts(accounts) => {
                let mut cmd = Command::new(program);
                accounts.run_as(&mut cmd, accounts.id_for(view));
                cmd
            }
        };
        cmd.current_dir(cwd);
        cmd
    }
}

/// What a sandboxed process may see besides the system's libraries.
#[derive(Clone, Debug, Default)]
pub(super) struct View {
    /// Mounted read-only.
    pub(super) readable: Vec<PathBuf>,
    /// Mounted read-write.
    pub(super) writable: Vec<PathBuf>,
    /// Empty, writable folders (a tmpfs each).
    pub(super) scratch: Vec<PathBuf>,
    /// The toolchain and the crate registry (a build).
    pub(super) toolchain: bool,
    /// An instructor's hidden test runs (as its own account, see [`Accounts`]).
    pub(super) hidden: bool,
}

impl Bwrap {
    /// `bwrap … -- program` with the mounts of `view`.
    fn command(&self, view: &View, cwd: &Path, program: &Path) -> Command {
        let mut cmd = Command::new(&self.program);
        let ro = |cmd: &mut Command, path: &Path, opt: &str| {
            cmd.arg(opt).arg(path).arg(path);
        };
        ro(&mut cmd, Path::new("/usr"), "--ro-bind");
        for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
            let path = Path::new(top);
            match std::fs::symlink_metadata(path) {
                Ok(m) if m.file_type().is_symlink() => {
                    if let Ok(to) = std::fs::read_link(path) {
                        cmd.arg("--symlink").arg(to).arg(path);
                    }
                }
                Ok(m) if m.is_dir() => ro(&mut cmd, path, "--ro-bind"),
                _ => {}
            }
        }
        for etc in ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d"] {
            ro(&mut cmd, Path::new(etc), "--ro-bind-try");
        }
        cmd.args(["--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]);
        if view.toolchain {
            let t = &self.toolchain;
            ro(&mut cmd, Path::new("/etc/alternatives"), "--ro-bind-try");
            ro(&mut cmd, &t.sysroot, "--ro-bind");
            cmd.arg("--tmpfs").arg(&t.cargo_home);
            for cache in ["registry", "git"] {
                ro(&mut cmd, &t.cargo_home.join(cache), "--ro-bind-try");
            }
        }
        for path in &view.readable {
            ro(&mut cmd, path, "--ro-bind");
        }
        for path in &view.writable {
            cmd.arg("--bind").arg(path).arg(path);
        }
        for path in &view.scratch {
            cmd.arg("--tmpfs").arg(path);
        }
        cmd.args(["--remount-ro", "/"]);
        cmd.args([
            "--unshare-net",
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--die-with-parent",
            "--new-session",
        ]);
        if self.drop_capabilities {
            cmd.args(["--cap-drop", "ALL"]);
        }
        cmd.arg("--chdir").arg(cwd).arg("--").arg(program);
        cmd
    }
}
