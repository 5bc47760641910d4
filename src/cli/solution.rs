//! `cargo workbook solution EX [--diff]`: the reference solution, or how the
//! learner's code differs from it.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anstream::{print, println};
use anyhow::{Result, bail};
use owo_colors::OwoColorize;
use workbook::course::manifest::Exercise;
use workbook::learner::{self, progress};

use super::Context;
use super::ui::print_json;

#[derive(clap::Args)]
pub struct Args {
    /// The exercise: `01`, `1` or `exercise-01`.
    exercise: String,
    /// Show the differences between your code and the solution.
    #[arg(long)]
    diff: bool,
    /// Do not ask for confirmation.
    #[arg(long, short)]
    yes: bool,
}

pub fn exec(ctx: &Context, args: Args) -> Result<ExitCode> {
    let ex = ctx.exercise(&args.exercise)?;
    if !args.yes && !confirmed(ctx, ex)? {
        println!("Good call. Keep going!");
        return Ok(ExitCode::SUCCESS);
    }
    if args.diff {
        show_diff(&learner::solution_diff(&ctx.root, ex)?, ctx.json);
        return Ok(ExitCode::SUCCESS);
    }
    let solution = learner::solution_for_reading(&ctx.root, ex)?;
    if ctx.json {
        print_json(&solution)?;
    } else {
        for (rel, text) in &solution {
            let path = ex.solution_dir().join("src").join(rel);
            println!("{}\n", format!("// {}", path.display()).bold());
            println!("{text}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether the learner may see the solution: yes once the exercise is done,
/// else only after saying so (on a terminal; elsewhere `--yes` is needed).
fn confirmed(ctx: &Context, ex: &Exercise) -> Result<bool> {
    let p = progress::of(&ctx.engine, &ctx.root, ex)?;
    if p.is_done() {
        return Ok(true);
    }
    let why = format!(
        "Exercise {} is not done yet ({}). You learn most by trying first: `cargo workbook hint {}` gives a hint in steps.",
        ex.id,
        p.label(),
        ex.id
    );
    if !std::io::stdin().is_terminal() {
        bail!("{why}\nTo see the solution anyway, pass --yes.");
    }
    print!("{why}\nShow the solution anyway? [y/N] ");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// A unified diff, coloured: the learner's lines red, the solution's green.
fn show_diff(diff: &str, json: bool) {
    if json {
        println!("{}", serde_json::json!({"diff": diff}));
    } else if diff.is_empty() {
        println!("Your code is the same as the reference solution.");
    } else {
        for line in diff.lines() {
            if line.starts_with('+') && !line.starts_with("+++") {
                println!("{}", line.green());
            } else if line.starts_with('-') && !line.starts_with("---") {
                println!("{}", line.red());
            } else if line.starts_with("@@") {
                println!("{}", line.cyan());
            } else {
                println!("{line}");
            }
        }
        println!("\n{}", "Lines with - are yours; lines with + are the solution's.".dimmed());
    }
}
