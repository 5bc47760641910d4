//! Process groups, the parent-death signal and resource limits: Unix only.

use std::process::Command;

/// Kills the process group whose leader is `id` (a child started with
/// [`contain`]).
pub(super) fn kill_group(id: u32) {
    let Ok(group) = libc::pid_t::try_from(id) else { return };
    // SAFETY: kill(2) on a process group this program created with setpgid.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
}

/// See [`super::contain`].
pub(super) fn contain(cmd: &mut Command, memory: Option<u64>) {
    use std::os::unix::process::CommandExt;
    #[cfg(target_os = "linux")]
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: only async-signal-safe calls (setpgid, prctl, getppid,
    // setrlimit) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::setpgid(0, 0);
            #[cfg(target_os = "linux")]
            {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0);
                // The parent may have died before the line above took effect.
                if libc::getppid() != parent {
                    return Err(std::io::Error::other("the grader is gone"));
                }
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

/// Whether the program runs as root.
pub(super) fn is_root() -> bool {
    // SAFETY: geteuid(2) has no preconditions.
    unsafe { libc::geteuid() == 0 }
}
