//! Every process the engine starts, so that none outlives the program.
//!
//! Each child is listed here while it lives. What more is done depends on
//! the system:
//!
//! - **Unix** ([`sys`] in `live/unix.rs`): each child is started in a
//!   process group of its own, so that a test and every process it starts
//!   are killed at once (at its timeout, or by [`stop_all`], which `grade`'s
//!   signal handler calls, so a grading run stopped with Ctrl-C or `kill`
//!   leaves nothing running), without core dumps, and with an address-space
//!   limit when the engine has one. On Linux a child also asks the kernel
//!   to kill it when the thread that started it dies (`PR_SET_PDEATHSIG`),
//!   which covers the one case no handler can: the program killed with
//!   SIGKILL.
//! - **Elsewhere** (Windows; `live/portable.rs`): the standard library only.
//!   A child is killed with [`std::process::Child::kill`] at its timeout,
//!   which ends that process, not the ones it started (a test binary starts
//!   none; the compilers of a cargo build stopped at its timeout finish their
//!   crate and exit); there is no memory limit.
//!   That is enough for the learner's own code. Grading untrusted code is
//!   refused there ([`untrusted_code_supported`]).
//!
//! The portable path is also built on Linux with `WORKBOOK_PORTABLE=1` in
//! the environment (`build.rs` sets `--cfg workbook_portable` for the tool
//! alone; `scripts/check-portable` does), so the code Windows compiles is compiled
//! and tested on every commit.

#[cfg(all(unix, not(workbook_portable)))]
#[path = "live/unix.rs"]
mod sys;

#[cfg(any(not(unix), workbook_portable))]
#[path = "live/portable.rs"]
mod sys;

use std::collections::BTreeSet;
use std::process::{Child, Command};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Result, bail};

/// The children alive now, by process id (on Unix, also the id of the
/// child's process group).
static LIVE: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());
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

/// Why this system cannot grade untrusted code (`grade`, and every command
/// that builds a [`crate::grade::Grader`]).
const GRADING_NEEDS_LINUX: &str = "grading a class runs only on Linux: there the grader kills every process a submission starts, limits their memory, and runs them in bubblewrap's sandbox, which exists only on Linux. Grade on a Linux machine (on Windows: in WSL 2). Everything a learner uses works here: the course map, check, watch, hint, reset, solution, plot, fit, train and book";

/// Whether this build can run untrusted code (a class's submissions): only
/// on Linux, and not on the portable path; elsewhere, an error that says so
/// and what to do instead.
pub fn untrusted_code_supported() -> Result<()> {
    if cfg!(all(target_os = "linux", not(workbook_portable))) {
        Ok(())
    } else {
        bail!("{GRADING_NEEDS_LINUX}")
    }
}

/// Whether the program runs as root (bubblewrap then has to be told to
/// drop every capability).
pub(super) fn is_root() -> bool {
    sys::is_root()
}

/// Kills every child the engine started (on Unix, its whole process group,
/// with SIGKILL: a test that loops gets no say), and makes every later start
/// fail with [`Interrupted`]. Safe to call from any thread, any number of
/// times. On the portable path only the second half: the children end at
/// their timeouts (only `grade`, which the portable path refuses, stops a
/// run this way).
pub fn stop_all() {
    let live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    STOPPING.store(true, Ordering::SeqCst);
    for &id in live.iter() {
        sys::kill_group(id);
    }
    super::accounts::stop_all();
}

/// A child process listed in the registry until it is dropped (after it
/// was waited for).
pub(super) struct Live {
    pub(super) child: Child,
}

impl Live {
    /// Kills the child (on Unix, its whole process group).
    pub(super) fn kill_group(&mut self) {
        sys::kill_group(self.child.id());
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
        let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
        live.remove(&self.child.id());
    }
}

/// Starts `cmd`, which [`contain`] prepared, and lists it; fails with
/// [`Interrupted`] once [`stop_all`] was called. The registry's lock is
/// held while the child starts, so a stop either happens before (and the
/// child never starts) or after (and kills it).
pub(super) fn spawn(cmd: &mut Command) -> Result<Live> {
    let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    if stopping() {
        return Err(Interrupted.into());
    }
    let child = cmd.spawn()?;
    live.insert(child.id());
    Ok(Live { child })
}

/// Prepares `cmd` to be contained: on Unix, in a process group of its own
/// (so it and every process it starts can be killed at once), killed by
/// the kernel if the thread that starts it dies (Linux), without core
/// dumps, and with an address-space limit if `memory` is given. On the
/// portable path, nothing: `memory` is only ever given by the grader, which
/// refuses to run there.
pub(super) fn contain(cmd: &mut Command, memory: Option<u64>) {
    sys::contain(cmd, memory);
}
