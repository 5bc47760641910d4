//! How the grader isolates a submission's code: bubblewrap, or (on a
//! platform's container as root) unprivileged accounts, or nothing when the
//! instructor says `--no-sandbox`.

use std::path::Path;

use anyhow::{Context, Result, anyhow};

use super::Options;
use crate::engine::{Engine, Sandbox};

/// Sets `engine`'s sandbox for `options`, and keeps the hidden tests and the
/// grader's output private from the code.
pub(super) fn isolate(engine: &mut Engine, root: &Path, options: &Options) -> Result<()> {
    engine.sandbox = if options.no_sandbox && options.as_accounts {
        // A platform's container without bubblewrap: unprivileged
        // accounts where the grader is root, else the code runs as it.
        match Sandbox::accounts(root, &engine.target.join("workbook")) {
            Ok(sandbox) => {
                // Slots of their own: their files belong to the accounts,
                // which a sandboxed root (without capabilities) could not
                // write to.
                engine.slots = engine.target.join("workbook").join("account-slots");
                sandbox
            }
            Err(e) => {
                eprintln!("warning: the code will run as this account: {e:#}");
                Sandbox::unconfined(root)?
            }
        }
    } else if options.no_sandbox {
        Sandbox::unconfined(root)?
    } else {
        Sandbox::bubblewrap(root).map_err(|e| {
            anyhow!(
                "{e:#}, and the grader does not run submissions' code without a sandbox unless told to.\nInstall bubblewrap (Debian and Ubuntu: `sudo apt-get install bubblewrap`), or, on a machine and account that hold nothing private, pass --no-sandbox (every output will say the grades were made without a sandbox)."
            )
        })?
    };
    if let Some(hidden) = &options.hidden_tests {
        engine.sandbox.keep_private(hidden)?;
    }
    std::fs::create_dir_all(&options.out)
        .with_context(|| format!("could not create {}", options.out.display()))?;
    engine.sandbox.keep_private(&options.out)?;
    Ok(())
}
