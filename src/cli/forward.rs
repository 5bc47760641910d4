//! Without the feature `full` (the learner's first `cargo workbook` builds
//! without it, to be quick): the data, grading and authoring commands are
//! handed, with every argument as given, to the full tool, which cargo
//! builds on their first use and reuses afterwards.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context, Result};

/// The commands only the full tool has.
pub const FULL_ONLY: [&str; 8] =
    ["grade", "fit", "train", "predict", "serve", "autograder", "figures", "dev"];

/// Any arguments: what a command of the full tool gets in this build.
#[derive(clap::Args, Debug)]
pub struct Forwarded {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub args: Vec<OsString>,
}

/// The command `args` name (the first that is not a global option), if the
/// full tool is the one to run it.
pub fn full_only(args: &[OsString]) -> Option<&str> {
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let arg = arg.to_str()?;
        match arg {
            "--json" => {}
            "--test-timeout" => {
                rest.next();
            }
            a if a.starts_with("--test-timeout=") => {}
            // `help fit`: the full tool's help of its command.
            "help" => {
                let next = rest.next()?.to_str()?;
                return FULL_ONLY.contains(&next).then_some(next);
            }
            a => return FULL_ONLY.contains(&a).then_some(a),
        }
    }
    None
}

/// Runs `cargo run --package workbook --bin workbook -- ARGS` with the
/// default features (the full tool), from the folder the learner is in (so
/// that relative paths mean the same), and returns its exit code. The first
/// time, cargo's progress shows while it builds (a few minutes, once).
pub fn run(root: &Path, args: &[OsString]) -> Result<ExitCode> {
    let marker = root.join("target").join("workbook").join("full-tool-built");
    let first = !marker.exists();
    if first {
        eprintln!(
            "`cargo workbook {}` is part of the full tool, which cargo builds now, once (a few minutes); later runs start at once.",
            full_only(args).unwrap_or("…")
        );
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.arg("run");
    if !first {
        cmd.arg("--quiet");
    }
    cmd.arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args(["--package", "workbook", "--bin", "workbook", "--"])
        .args(args);
    let mut child = cmd.spawn().context("could not run cargo to start the full tool")?;
    // Ctrl-C reaches the full tool too (the same terminal), and a `kill` of
    // this process is passed on to it (cargo run becomes the tool on Unix):
    // it stops cleanly, and this process waits for it rather than end first.
    #[cfg(unix)]
    {
        let pid = child.id() as libc::pid_t;
        // SAFETY: kill(2) on the child this process started and waits for.
        let _ = ctrlc::set_handler(move || unsafe {
            libc::kill(pid, libc::SIGTERM);
        });
    }
    let status = child.wait().context("could not wait for the full tool")?;
    if first && status.code().is_some() {
        if let Some(dir) = marker.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = std::fs::write(&marker, b"");
    }
    Ok(match status.code() {
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
        None => ExitCode::from(2),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<OsString> {
        line.split_whitespace().map(OsString::from).collect()
    }

    #[test]
    fn the_full_tools_commands_are_found_after_the_global_options() {
        assert_eq!(full_only(&args("fit data.csv --json")), Some("fit"));
        assert_eq!(full_only(&args("--json train data.csv")), Some("train"));
        assert_eq!(full_only(&args("--test-timeout 5 grade subs --out o")), Some("grade"));
        assert_eq!(full_only(&args("--test-timeout=5 dev verify 03")), Some("dev"));
        assert_eq!(full_only(&args("help serve")), Some("serve"));
        assert_eq!(full_only(&args("help watch")), None);
        for learner in
            ["", "check 01", "--json", "watch 02", "hint 03", "plot 04 --out x", "fitness"]
        {
            assert_eq!(full_only(&args(learner)), None, "{learner:?}");
        }
        // `--test-timeout fit`: "fit" is the option's value, not a command.
        assert_eq!(full_only(&args("--test-timeout fit")), None);
    }
}
