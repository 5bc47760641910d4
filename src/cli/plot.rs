//! `cargo workbook plot EX`: the chapter's figures drawn by the learner's
//! code beside the reference's.

use std::path::PathBuf;
use std::process::ExitCode;

use anstream::{eprintln, println};
use anyhow::Result;
use owo_colors::OwoColorize;
use workbook::learner::plot;
use workbook::util::fs::native;

use super::Context;

#[derive(clap::Args)]
pub struct Args {
    /// The exercise: `01`, `1` or `exercise-01`.
    exercise: String,
    /// Where to write the figures (default: target/workbook/plots/exercise-ID).
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn exec(ctx: &Context, args: Args) -> Result<ExitCode> {
    let ex = ctx.exercise(&args.exercise)?;
    let out = args
        .out
        .unwrap_or_else(|| ctx.root.join(native("target/workbook/plots")).join(ex.package()));
    let out = if out.is_absolute() { out } else { std::env::current_dir()?.join(out) };
    let drawn = plot::draw(&ctx.root, &ctx.engine, ex, &out, &|what| eprintln!("{what}"))?;
    if ctx.json {
        println!(
            "{}",
            serde_json::json!({"folder": drawn.folder, "figures": drawn.figures, "yours_ok": drawn.yours_failed.is_none(), "error": drawn.yours_failed})
        );
    } else {
        match &drawn.yours_failed {
            None => println!("Wrote your figures and the reference's to {}", out.display()),
            Some(why) => {
                println!(
                    "{} your code could not draw its figures:\n{why}\n",
                    "Note:".yellow().bold()
                );
                println!("Wrote the reference's figures to {}", out.join("reference").display());
            }
        }
        println!("Open {} to see them side by side.", out.join("index.html").display());
    }
    Ok(if drawn.yours_failed.is_none() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
