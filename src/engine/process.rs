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
//! file system.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use wait_timeout::ChildExt;

use super::live::{self, Interrupted};

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
        Some(cmd)
    }

    /// Runs `program` (a test binary) with `view`: directly, or inside the
    /// sandbox. The caller sets the environment.
    pub(super) fn run(&self, view: &View, cwd: &Path, program: &Path) -> Command {
        let mut cmd = match self {
            Sandbox::Bwrap(bwrap) => bwrap.command(view, cwd, program),
            Sandbox::None | Sandbox::Unconfined(_) => Command::new(program),
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

/// Output of a process run with a timeout.
pub(super) struct Captured {
    /// `None` when the timeout struck and the process was killed.
    pub(super) status: Option<std::process::ExitStatus>,
    /// stdout, cut at the cap.
    pub(super) stdout: String,
    /// stdout, then stderr, each cut at the cap.
    pub(super) text: String,
}

/// Runs `cmd` (prepared with [`live::contain`]) with both output streams
/// read by threads that keep the first and last `cap / 2` bytes and drain
/// the rest; kills its whole process group at the timeout. Fails with
/// [`Interrupted`] if the grader is being stopped, whatever the process did.
pub(super) fn run_capped(mut cmd: Command, timeout: Duration, cap: usize) -> Result<Captured> {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut live = live::spawn(&mut cmd)?;
    let readers: Vec<_> = [
        live.child.stdout.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
        live.child.stderr.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|stream| std::thread::spawn(move || read_stream_capped(stream, cap)))
    .collect();
    let status = match live.child.wait_timeout(timeout)? {
        Some(status) => Some(status),
        None => {
            live.kill_group();
            let _ = live.child.wait();
            None
        }
    };
    // A process of the group may still hold the pipes open: kill the group
    // so that the readers see the end of their streams.
    live.kill_group();
    let mut parts = readers.into_iter().map(|r| r.join().unwrap_or_default());
    let stdout = parts.next().unwrap_or_default();
    let text = format!("{stdout}{}", parts.next().unwrap_or_default());
    drop(live);
    if live::stopping() {
        return Err(Interrupted.into());
    }
    Ok(Captured { status, stdout, text })
}

/// Reads a stream to its end, keeping its first and its last `cap / 2`
/// bytes (libtest's verdict is at the end), and dropping the middle.
fn read_stream_capped(mut stream: impl Read, cap: usize) -> String {
    let half = cap / 2;
    let mut head = Vec::new();
    // The last bytes read: at most `2 * half`, trimmed to `half` when full,
    // so each byte is copied a bounded number of times.
    let mut tail: Vec<u8> = Vec::new();
    let mut total = 0usize;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
            Ok(n) => {
                total += n;
                let mut chunk = &buf[..n];
                let room = half.saturating_sub(head.len());
                if room > 0 {
                    let take = room.min(chunk.len());
                    head.extend_from_slice(&chunk[..take]);
                    chunk = &chunk[take..];
                }
                if chunk.len() >= half {
                    tail.clear();
                    tail.extend_from_slice(&chunk[chunk.len() - half..]);
                } else {
                    tail.extend_from_slice(chunk);
                    if tail.len() > 2 * half {
                        tail.drain(..tail.len() - half);
                    }
                }
            }
        }
    }
    if tail.len() > half {
        tail.drain(..tail.len() - half);
    }
    let mut text = String::from_utf8_lossy(&head).into_owned();
    if total > head.len() + tail.len() {
        text.push_str(&format!(
            "\n[output cut: {total} bytes in all; the first and last {half} kept]\n"
        ));
    }
    text.push_str(&String::from_utf8_lossy(&tail));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let short = read_stream_capped("all of it\n".as_bytes(), 1000);
        assert_eq!(short, "all of it\n");
    }

    #[test]
    fn the_tail_is_the_last_bytes_whatever_the_chunks() {
        // A reader that returns one byte at a time, then a big chunk.
        struct Dribble(Vec<u8>, usize);
        impl Read for Dribble {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = if self.1 < 300 { 1 } else { buf.len() }.min(self.0.len() - self.1);
                buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
                self.1 += n;
                Ok(n)
            }
        }
        let bytes: Vec<u8> = (0..5000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let kept = read_stream_capped(Dribble(bytes.clone(), 0), 200);
        let tail = String::from_utf8_lossy(&bytes[bytes.len() - 100..]).into_owned();
        assert!(kept.ends_with(&tail), "{kept}");
        assert!(kept.starts_with(&String::from_utf8_lossy(&bytes[..100]).into_owned()));
    }
}
