//! The book's pinned tools (mdbook and the KaTeX preprocessor): where they
//! are, whether they are the pinned versions, and how to run them. Used by
//! `cargo workbook book` and by the book's tests, so both find the same tools.

#[cfg(feature = "full")]
pub mod figures;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// What to tell someone whose tools are missing.
pub const INSTALL: &str = "install the book's tools with `cargo workbook book --build` (which installs them when they are missing) \
or `scripts/install-book-tools` (a few minutes, once); they go to target/tools/bin, or to $WORKBOOK_TOOLS/bin if that is set";

/// The tools' crates, with the variable of `scripts/install-book-tools` that
/// pins each one's version.
const CRATES: [(&str, &str); 2] =
    [("mdbook", "MDBOOK_VERSION"), ("mdbook-katex", "MDBOOK_KATEX_VERSION")];

/// A tool's program in `dir`/bin (`mdbook.exe` on Windows).
fn program(dir: &Path, name: &str) -> PathBuf {
    dir.join("bin").join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// The pinned tools.
#[derive(Debug, Clone)]
pub struct Tools {
    pub mdbook: PathBuf,
    pub katex: PathBuf,
}

/// Folders searched for the tools, in order: `$WORKBOOK_TOOLS`, the course's
/// `target/tools`, `~/.cache/workbook-tools` (where CI keeps them).
pub fn tool_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("WORKBOOK_TOOLS").filter(|d| !d.is_empty()) {
        dirs.push(root.join(dir));
    }
    dirs.push(root.join("target").join("tools"));
    if let Some(home) = std::env::home_dir() {
        dirs.push(home.join(".cache").join("workbook-tools"));
    }
    dirs
}

/// The version of a tool that `scripts/install-book-tools` pins, by its
/// variable name (`MDBOOK_VERSION`, `MDBOOK_KATEX_VERSION`).
pub fn pinned_version(root: &Path, var: &str) -> Result<String> {
    let path = root.join("scripts/install-book-tools");
    let script = std::fs::read_to_string(&path)
        .with_context(|| format!("could not read {}", path.display()))?;
    script
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{var}=")))
        .map(|v| v.trim().to_string())
        .with_context(|| format!("{} does not set {var}", path.display()))
}

/// The version a tool reports with `--version` ("mdbook v0.5.3" → "0.5.3").
pub fn version_of(tool: &Path) -> String {
    match Command::new(tool).arg("--version").output() {
        Ok(out) => String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .nth(1)
            .unwrap_or("")
            .trim_start_matches('v')
            .to_string(),
        Err(e) => format!("(could not run: {e})"),
    }
}

/// Finds the pinned tools, or says plainly what is missing and how to
/// install it.
pub fn find(root: &Path) -> Result<Tools> {
    let dirs = tool_dirs(root);
    let Some(dir) = dirs.iter().find(|d| CRATES.iter().all(|(name, _)| program(d, name).is_file()))
    else {
        let looked: Vec<String> =
            dirs.iter().map(|d| d.join("bin").display().to_string()).collect();
        bail!(
            "mdbook and mdbook-katex are not installed (looked in {}): {INSTALL}",
            looked.join(", ")
        );
    };
    let tools = Tools { mdbook: program(dir, CRATES[0].0), katex: program(dir, CRATES[1].0) };
    for (tool, (_, var)) in [&tools.mdbook, &tools.katex].into_iter().zip(CRATES) {
        let (have, want) = (version_of(tool), pinned_version(root, var)?);
        if have != want {
            bail!(
                "{} is version {have}, but the book is built with {want}: {INSTALL}",
                tool.display()
            );
        }
    }
    Ok(tools)
}

/// Installs the pinned tools that are missing or at another version into
/// the first of [`tool_dirs`] (`$WORKBOOK_TOOLS`, else `target/tools`), with
/// `cargo install --locked`: what `scripts/install-book-tools` does, without
/// needing bash (so `cargo workbook book` works on Windows too).
pub fn install(root: &Path) -> Result<()> {
    let dir = tool_dirs(root).swap_remove(0);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    for (name, var) in CRATES {
        let want = pinned_version(root, var)?;
        if version_of(&program(&dir, name)) == want {
            continue;
        }
        eprintln!("installing {name} {want} into {} (a few minutes)", dir.display());
        let status = Command::new(&cargo)
            .args(["install", "--quiet", "--locked", "--force", "--version"])
            .arg(format!("={want}"))
            .arg("--root")
            .arg(&dir)
            .arg(name)
            .status()
            .with_context(|| format!("could not run cargo to install {name}"))?;
        if !status.success() {
            bail!("`cargo install {name}` failed; see its output above");
        }
    }
    Ok(())
}

impl Tools {
    /// `mdbook ARGS…` for the course's book, with the preprocessor found here.
    pub fn mdbook(&self, root: &Path) -> Command {
        let mut cmd = Command::new(&self.mdbook);
        cmd.current_dir(root)
            // book.toml names ../target/tools/bin/mdbook-katex; use the one found.
            // mdBook reads the value as JSON if it can, then splits it like a
            // shell: single quotes keep a path with spaces in one piece.
            .env("MDBOOK_PREPROCESSOR__KATEX__COMMAND", format!("'{}'", self.katex.display()))
            .env_remove("RUST_LOG");
        cmd
    }
}
