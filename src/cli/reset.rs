//! `cargo workbook reset EX`: the untouched stub back, after a backup.

use std::process::ExitCode;

use anstream::println;
use anyhow::Result;
use workbook::learner::{self, Reset};

use super::Context;

#[derive(clap::Args)]
pub struct Args {
    /// The exercise: `01`, `1` or `exercise-01`.
    exercise: String,
    /// Restore the files that the newest reset saved.
    #[arg(long)]
    undo: bool,
}

pub fn exec(ctx: &Context, args: Args) -> Result<ExitCode> {
    let ex = ctx.exercise(&args.exercise)?;
    let src = ex.dir().join("src");
    if args.undo {
        let u = learner::undo(&ctx.root, ex)?;
        if ctx.json {
            println!("{}", serde_json::json!({"restored": u.restored, "saved": u.saved}));
        } else {
            println!("Put back your files from {} into {}.", u.restored.display(), src.display());
            if let Some(saved) = u.saved {
                println!("The files they replaced were saved to {}.", saved.display());
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    match learner::reset(&ctx.root, ex)? {
        Reset::AlreadyStub => {
            if ctx.json {
                println!("{}", serde_json::json!({"reset": false, "reason": "already the stub"}));
            } else {
                println!("{} already holds the untouched stub; nothing to reset.", src.display());
            }
        }
        Reset::Done { backup } => {
            if ctx.json {
                println!("{}", serde_json::json!({"reset": true, "backup": backup}));
            } else {
                println!("Saved your files to {}", backup.display());
                println!("and put the stub of exercise {} back into {}.", ex.id, src.display());
                println!(
                    "Changed your mind? `cargo workbook reset --undo {}` restores them.",
                    ex.id
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
