//! `cargo workbook hint EX`: the next hint, one step at a time.

use std::process::ExitCode;

use anstream::println;
use anyhow::Result;
use owo_colors::OwoColorize;
use workbook::learner::{self, state};

use super::Context;
use super::ui::{print_json, warn};

#[derive(clap::Args)]
pub struct Args {
    /// The exercise: `01`, `1` or `exercise-01`.
    exercise: String,
    /// Show every hint step up to the current one again.
    #[arg(long)]
    again: bool,
}

pub fn exec(ctx: &Context, args: Args) -> Result<ExitCode> {
    let ex = ctx.exercise(&args.exercise)?;
    let steps = learner::hint_steps(ex);
    let shown: Vec<(usize, String)> = if args.again {
        let (st, warning) = state::load(&ctx.root)?;
        warn(warning);
        let n = st.hints_shown.get(&ex.id).copied().unwrap_or(0).max(1).min(steps.len());
        steps.iter().take(n).cloned().enumerate().map(|(i, t)| (i + 1, t)).collect()
    } else {
        let (h, warning) = learner::next_hint(&ctx.root, ex)?;
        warn(warning);
        vec![(h.step, h.text)]
    };
    if ctx.json {
        let v: Vec<_> = shown
            .iter()
            .map(|(i, t)| serde_json::json!({"step": i, "of": steps.len(), "text": t}))
            .collect();
        print_json(&v)?;
        return Ok(ExitCode::SUCCESS);
    }
    for (i, text) in &shown {
        let heading = format!("Exercise {}, hint {i} of {}:", ex.id, steps.len());
        println!("{} {}", heading.bold(), ex.title);
        println!("  {text}\n");
    }
    if let Some((i, _)) = shown.last()
        && *i < steps.len()
    {
        let next = format!("Still stuck? `cargo workbook hint {}` shows the next step.", ex.id);
        println!("{}", next.dimmed());
    }
    Ok(ExitCode::SUCCESS)
}
