//! Running a test process: in the sandbox or not, with a time limit, in a
//! process group of its own, with its output capped.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::Result;
use wait_timeout::ChildExt;

use super::Engine;

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

impl Engine {
    /// The command that runs a test binary: directly, or inside the sandbox.
    pub(super) fn test_command(
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

/// Runs `cmd` with both output streams read by threads that keep the first
/// `cap` bytes and drain the rest; kills its whole process group at the
/// timeout.
pub(super) fn run_capped(mut cmd: Command, timeout: Duration, cap: usize) -> Result<Captured> {
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
    }
}
