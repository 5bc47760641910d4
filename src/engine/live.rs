//! Every process the engine starts, so that none outlives the program.
//!
//! Each child is started in a process group of its own and listed here while
//! it lives. [`stop_all`] (called by `grade`'s signal handler) kills every
//! listed group and refuses to start new processes from then on, so a
//! grading run stopped with Ctrl-C or `kill` leaves nothing running. A child
//! also asks the kernel to kill it when the thread that started it dies
//! (`PR_SET_PDEATHSIG`), which covers the one case no handler can: the
//! program killed with SIGKILL.

use std::collections::BTreeSet;
use std::process::{Child, Command};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;

/// The process groups of the children alive now (a group's id is its
/// leader's process id).
static GROUPS: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());
/// Set once by [`stop_all`]: no process is started after it.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// The error of work cut short by [`stop_all`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted: every process the grader had started was stopped")
    }
}

impl std::error::Error for Interrupted {}

/// Whether [`stop_all`] was called.
pub fn stopping() -> bool {
    STOPPING.load(Ordering::SeqCst)
}

/// Whether `e` (or its cause) is [`Interrupted`].
pub fn is_interrupted(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<Interrupted>().is_some())
}

/// Kills every process group the engine started (with SIGKILL: a test
/// that loops gets no say), and makes every later start fail with
/// [`Interrupted`]. Safe to call from any thread, any number of times.
pub fn stop_all() {
    let groups = GROUPS.lock().unwrap_or_else(|e| e.into_inner());
    STOPPING.store(true, Ordering::SeqCst);
    for &group in groups.iter() {
        // SAFETY: kill(2) on a process group this program created.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
    }
}

/// A child process listed in the registry until it is dropped (after it
/// was waited for).
pub(super) struct Live {
    pub(super) child: Child,
}

impl Live {
    /// Kills the child's whole process group.
    pub(super) fn kill_group(&mut self) {
        // SAFETY: kill(2) on the process group the child made with setpgid.
        unsafe {
            libc::kill(-(self.child.id() as libc::pid_t), libc::SIGKILL);
        }
        let _ = self.child.kill();
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        // Reap it if nobody did, so its id is not reused while listed.
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            self.kill_group();
            let _ = self.child.wait();
        }
        let mut groups = GROUPS.lock().unwrap_or_else(|e| e.into_inner());
        groups.remove(&(self.child.id() as i32));
    }
}

/// Starts `cmd`, which [`contain`] prepared, and lists it; fails with
/// [`Interrupted`] once [`stop_all`] was called. The registry's lock is
/// held while the child starts, so a stop either happens before (and the
/// child never starts) or after (and kills it).
pub(super) fn spawn(cmd: &mut Command) -> Result<Live> {
    let mut groups = GROUPS.lock().unwrap_or_else(|e| e.into_inner());
    if stopping() {
        return Err(Interrupted.into());
    }
    let child = cmd.spawn()?;
    groups.insert(child.id() as i32);
    Ok(Live { child })
}

/// Prepares `cmd` to run in a process group of its own (so it and every
/// process it starts can be killed at once), to be killed by the kernel if
/// the thread that starts it dies, without core dumps, and with an
/// address-space limit if `memory` is given.
pub(super) fn contain(cmd: &mut Command, memory: Option<u64>) {
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: only async-signal-safe calls (setpgid, prctl, getppid,
    // setrlimit) between fork and exec.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(move || {
            libc::setpgid(0, 0);
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0);
            // The parent may have died before the line above took effect.
            if libc::getppid() != parent {
                return Err(std::io::Error::other("the grader is gone"));
            }
            let no_core = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
            libc::setrlimit(libc::RLIMIT_CORE, &no_core);
            if let Some(bytes) = memory {
                let mem = libc::rlimit {
                    rlim_cur: bytes as libc::rlim_t,
                    rlim_max: bytes as libc::rlim_t,
                };
                libc::setrlimit(libc::RLIMIT_AS, &mem);
            }
            Ok(())
        });
    }
}
