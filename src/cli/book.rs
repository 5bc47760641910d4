//! `cargo workbook book`: read the book offline.

use std::process::ExitCode;

use anstream::{eprintln, println};
use anyhow::{Context as _, Result};
use workbook::book;
use workbook::util::fs::native;

use super::Context;

#[derive(clap::Args)]
pub struct Args {
    /// Open the book in your web browser.
    #[arg(long)]
    open: bool,
    /// Only build the book into target/book (open target/book/index.html).
    #[arg(long, conflicts_with = "open")]
    build: bool,
}

pub fn exec(ctx: &Context, args: Args) -> Result<ExitCode> {
    let root = &ctx.root;
    let tools = match book::find(root) {
        Ok(tools) => tools,
        Err(why) => {
            eprintln!("{why:#}\nInstalling them now (a few minutes, once)…");
            book::install(root)?;
            book::find(root)?
        }
    };
    let mut cmd = tools.mdbook(root);
    if args.build {
        cmd.args(["build", &ctx.manifest.course.book]);
    } else {
        cmd.args(["serve", &ctx.manifest.course.book]);
        if args.open {
            cmd.arg("--open");
        }
    }
    let status = cmd.status().context("could not run mdbook")?;
    if args.build && status.success() {
        let (dir, index) = (native("target/book"), native("target/book/index.html"));
        println!("The book is in {}; open {} in a browser.", dir.display(), index.display());
    }
    Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::from(2) })
}
