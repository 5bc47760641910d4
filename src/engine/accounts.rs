//! Unprivileged accounts for untrusted code, where bubblewrap cannot make a
//! sandbox but the grader runs as root: an autograding platform's container
//! (Gradescope runs its autograders as root in Docker, whose default
//! profile refuses the namespaces bubblewrap needs).
//!
//! Root can give a process any user id, listed in `/etc/passwd` or not, so
//! three ids nobody uses are picked ([`Accounts::new`]), one per role:
//!
//! - **build**: `cargo test --no-run` runs as it, with umask 077, into the
//!   slot's target folder, which it owns. While the submission's crate
//!   compiles, the hidden tests are not in the slot (see the engine's
//!   documentation), and `include_str!` reaches only what every account can
//!   read: not `/root`, not the instructor's hidden tests (made readable by
//!   root only, [`Accounts::private`]), not the platform's results folder.
//! - **test**: the public tests run as it. It can execute, but not read, the
//!   public test binaries (mode 0710, in its group; the hidden tests'
//!   binaries it can neither read nor run), read the slot (the public course and this submission), and
//!   write only its fresh home, the slot's `CARGO_TARGET_TMPDIR`, and the
//!   system's shared scratch folders. It cannot change the slot, the target
//!   folder, the grader's output or the results file.
//! - **hidden**: the instructor's hidden tests run as it, after every public
//!   test has ended. What a hidden test's process leaves behind cannot reach
//!   a public test's message: the public tests have all finished, every
//!   process of the account is killed when its phase ends, and its files in
//!   the shared scratch folders are removed ([`Accounts::end_phase`]).
//!
//! What accounts cannot do that bubblewrap does: hide the machine's public
//! files (`/etc`, the course), cut the network, or give a private `/tmp`.
//! On a platform's throwaway container that holds only this submission and
//! the public course, that is acceptable; the result still says the grading
//! ran without the sandbox.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::Toolchain;

/// A numeric user and group id (the same number for both).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Id(pub u32);

/// The three accounts, and the build account's cargo home.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accounts {
    pub toolchain: Toolchain,
    pub build: Id,
    pub test: Id,
    pub hidden: Id,
    /// `CARGO_HOME` of the builds: owned by the build account, with links to
    /// the real registry's caches (read-only to it).
    pub cargo_home: PathBuf,
}

/// The shared scratch folders every account can write to.
const SHARED_SCRATCH: [&str; 3] = ["/tmp", "/var/tmp", "/dev/shm"];

#[cfg(all(target_os = "linux", not(workbook_portable)))]
mod sys {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;
    use std::path::Path;
    use std::process::Command;

    use anyhow::{Context, Result};

    use super::Id;

    /// Ids in use: by an account or group of the system, or by a file or a
    /// process we can see would be as bad; the first two are checked.
    pub(super) fn listed_ids() -> Vec<u32> {
        let mut ids = Vec::new();
        for file in ["/etc/passwd", "/etc/group"] {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            ids.extend(text.lines().filter_map(|l| l.split(':').nth(2)?.parse::<u32>().ok()));
        }
        ids
    }

    /// `cmd` runs as `id`, with no supplementary group, and creates files
    /// only its owner can read.
    pub(super) fn run_as(cmd: &mut Command, id: Id) {
        // The standard library drops the supplementary groups (setgroups)
        // when it changes the user id as root.
        cmd.uid(id.0).gid(id.0);
        // SAFETY: umask(2) is async-signal-safe and cannot fail.
        unsafe {
            cmd.pre_exec(|| {
                libc::umask(0o077);
                Ok(())
            });
        }
    }

    pub(super) fn chown(path: &Path, id: Id) -> Result<()> {
        chown_group(path, id, id)
    }

    /// `path` owned by `owner`, in the group of `group`.
    pub(super) fn chown_group(path: &Path, owner: Id, group: Id) -> Result<()> {
        std::os::unix::fs::lchown(path, Some(owner.0), Some(group.0))
            .with_context(|| format!("could not give {} to user {}", path.display(), owner.0))
    }

    pub(super) fn chmod(path: &Path, mode: u32) -> Result<()> {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("could not set the mode of {}", path.display()))
    }

    pub(super) fn owner_and_mode(meta: &std::fs::Metadata) -> (u32, u32) {
        (meta.uid(), meta.mode())
    }

    /// Kills every process of `id` (by a child that becomes `id` and sends
    /// SIGKILL to every process it may signal: those of `id`, but itself).
    pub(super) fn kill_all(id: Id) -> Result<()> {
        // SAFETY: fork, then only async-signal-safe calls in the child.
        unsafe {
            let pid = libc::fork();
            if pid < 0 {
                return Err(std::io::Error::last_os_error()).context("could not fork");
            }
            if pid == 0 {
                let ok = libc::setgroups(0, std::ptr::null()) == 0
                    && libc::setgid(id.0) == 0
                    && libc::setuid(id.0) == 0;
                if ok {
                    libc::kill(-1, libc::SIGKILL);
                }
                libc::_exit(if ok { 0 } else { 1 });
            }
            let mut status = 0;
            while libc::waitpid(pid, &mut status, 0) < 0 {
                if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
                    break;
                }
            }
            if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
                anyhow::bail!("could not stop the processes of user {}", id.0);
            }
        }
        Ok(())
    }
}

#[cfg(not(all(target_os = "linux", not(workbook_portable))))]
mod sys {
    use std::path::Path;
    use std::process::Command;

    use anyhow::{Result, bail};

    use super::Id;

    pub(super) fn listed_ids() -> Vec<u32> {
        Vec::new()
    }
    pub(super) fn run_as(_: &mut Command, _: Id) {}
    pub(super) fn chown(_: &Path, _: Id) -> Result<()> {
        bail!("accounts are for Linux only")
    }
    pub(super) fn chown_group(_: &Path, _: Id, _: Id) -> Result<()> {
        bail!("accounts are for Linux only")
    }
    pub(super) fn chmod(_: &Path, _: u32) -> Result<()> {
        bail!("accounts are for Linux only")
    }
    pub(super) fn owner_and_mode(_: &std::fs::Metadata) -> (u32, u32) {
        (0, 0)
    }
    pub(super) fn kill_all(_: Id) -> Result<()> {
        bail!("accounts are for Linux only")
    }
}

/// The ids of the accounts in use, for [`stop_all`].
static ACCOUNTS: std::sync::Mutex<Vec<Id>> = std::sync::Mutex::new(Vec::new());

/// Kills every process of every account in use (the grader is stopping);
/// each started in a process group of its own, but one may have left it.
pub(super) fn stop_all() {
    for &id in ACCOUNTS.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        let _ = sys::kill_all(id);
    }
}

/// Held by the grader that uses the accounts on this machine, until it ends.
static MACHINE_LOCK: std::sync::OnceLock<std::fs::File> = std::sync::OnceLock::new();

/// Waits until no other grader on this machine runs code as the accounts.
fn lock_machine() -> Result<()> {
    if MACHINE_LOCK.get().is_some() {
        return Ok(());
    }
    let path = Path::new("/tmp/.workbook-accounts.lock");
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| format!("could not open {}", path.display()))?;
    if file.try_lock().is_err() {
        eprintln!(
            "waiting for another grader on this machine that runs code as unprivileged accounts…"
        );
        file.lock().with_context(|| format!("could not lock {}", path.display()))?;
    }
    let _ = MACHINE_LOCK.set(file);
    Ok(())
}

/// The first of the ids the accounts may take.
const FIRST_ID: u32 = 61_000;

impl Accounts {
    /// Three unused ids and a cargo home under `work` (a folder of the
    /// grader's); fails, saying why, unless the grader runs as root on Linux
    /// and the build account can run the toolchain and read the registry.
    pub fn new(toolchain: Toolchain, work: &Path) -> Result<Accounts> {
        if !super::live::is_root() {
            bail!("running the code as unprivileged accounts needs the grader to run as root");
        }
        let listed = sys::listed_ids();
        let mut free = (FIRST_ID..FIRST_ID + 1000).filter(|id| !listed.contains(id));
        let mut next = || free.next().map(Id).context("no unused user ids were found");
        let (build, test, hidden) = (next()?, next()?, next()?);
        let accounts = Accounts {
            toolchain,
            build,
            test,
            hidden,
            cargo_home: work.join("accounts-cargo-home"),
        };
        accounts.check()?;
        // The ids are the same for every grader on this machine: one at a
        // time uses them, and it may clean up after one killed outright.
        lock_machine()?;
        for id in [build, test, hidden] {
            sys::kill_all(id)?;
        }
        ACCOUNTS.lock().unwrap_or_else(|e| e.into_inner()).extend([build, test, hidden]);
        let cargo_home = &accounts.cargo_home;
        let _ = std::fs::remove_dir_all(cargo_home);
        std::fs::create_dir_all(cargo_home)
            .with_context(|| format!("could not create {}", cargo_home.display()))?;
        for cache in ["registry", "git"] {
            let real = accounts.toolchain.cargo_home.join(cache);
            if real.exists() {
                link(&real, &cargo_home.join(cache))?;
            }
        }
        sys::chown(cargo_home, build)?;
        Ok(accounts)
    }

    /// The build account can run the compiler and read the registry.
    fn check(&self) -> Result<()> {
        let mut rustc = Command::new(&self.toolchain.rustc);
        rustc.arg("-vV").env_clear().current_dir("/");
        sys::run_as(&mut rustc, self.build);
        let ran = rustc.output().map(|o| o.status.success()).unwrap_or(false);
        let registry = self.toolchain.cargo_home.join("registry");
        let mut read = Command::new("/bin/ls");
        read.arg(&registry).env_clear().current_dir("/");
        sys::run_as(&mut read, self.build);
        let readable =
            !registry.exists() || read.output().map(|o| o.status.success()).unwrap_or(false);
        if !ran || !readable {
            bail!(
                "an unprivileged account cannot {} (it lies in a folder only root can enter, such as /root): install Rust with RUSTUP_HOME and CARGO_HOME outside /root (the Gradescope setup.sh does: /usr/local/rustup and /usr/local/cargo)",
                if ran {
                    format!("read the crate registry {}", registry.display())
                } else {
                    format!("run the compiler {}", self.toolchain.rustc.display())
                }
            );
        }
        Ok(())
    }

    /// The account a test process with `view` runs as.
    pub(super) fn id_for(&self, view: &super::process::View) -> Id {
        if view.hidden { self.hidden } else { self.test }
    }

    /// `cmd` will run as `id` (umask 077, no supplementary group).
    pub fn run_as(&self, cmd: &mut Command, id: Id) {
        sys::run_as(cmd, id);
    }

    /// Gives `path` and everything under it to `id` (links are not followed).
    pub fn give(&self, path: &Path, id: Id) -> Result<()> {
        sys::chown(path, id)?;
        if std::fs::symlink_metadata(path)?.is_dir() {
            for entry in std::fs::read_dir(path)? {
                self.give(&entry?.path(), id)?;
            }
        }
        Ok(())
    }

    /// Lets `id` (and no other account) execute `binary` without reading it:
    /// owned by the build account, in `id`'s group, mode 0710; and lets
    /// every account pass through each folder from `target` down to it.
    pub fn executable_by(&self, binary: &Path, target: &Path, id: Id) -> Result<()> {
        sys::chown_group(binary, self.build, id)?;
        sys::chmod(binary, 0o710)?;
        match binary.parent() {
            Some(dir) => self.passable(dir, target),
            None => Ok(()),
        }
    }

    /// Lets every account pass through (not list) `dir` and each folder
    /// above it up to `target` (mode 0711).
    pub fn passable(&self, dir: &Path, target: &Path) -> Result<()> {
        let mut dir = Some(dir);
        while let Some(d) = dir {
            sys::chmod(d, 0o711)?;
            if d == target || !d.starts_with(target) {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }

    /// A folder of the instructor's (the hidden tests) that only root may
    /// read from now on.
    pub fn private(&self, dir: &Path) -> Result<()> {
        sys::chmod(dir, 0o700)
    }

    /// Ends a phase of `id`: kills every process it still has (one that left
    /// its process group included) and removes its files from the shared
    /// scratch folders and from `scratch`.
    pub fn end_phase(&self, id: Id, scratch: &Path) -> Result<()> {
        sys::kill_all(id)?;
        for dir in SHARED_SCRATCH.iter().map(Path::new).chain([scratch]) {
            remove_owned(dir, id.0);
        }
        Ok(())
    }
}

/// A symbolic link at `link` to `to`.
fn link(to: &Path, link: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(to, link)
            .with_context(|| format!("could not link {} to {}", link.display(), to.display()))
    }
    #[cfg(not(unix))]
    {
        let _ = (to, link);
        bail!("accounts are for Linux only")
    }
}

/// Removes, under `dir`, every file and folder owned by `uid` (links not
/// followed). The account can have put a file only in a folder it owns or
/// in one every account may write to, so only those are searched.
fn remove_owned(dir: &Path, uid: u32) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        let (owner, mode) = sys::owner_and_mode(&meta);
        if owner == uid {
            let _ = if meta.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        } else if meta.is_dir() && mode & 0o002 != 0 {
            remove_owned(&path, uid);
        }
    }
}
