//! `cargo workbook check EX`: every test of one exercise, graded as the
//! course grades it.

use std::process::ExitCode;

use anstream::println;
use anyhow::Result;
use owo_colors::OwoColorize;
use workbook::course::manifest::short_name;
use workbook::course::sources;
use workbook::engine::{Outcome, Status};

use super::Context;
use super::ui::{print_json, show_build_error, show_first_failure};

#[derive(clap::Args)]
pub struct Args {
    /// The exercise: `01`, `1` or `exercise-01`.
    exercise: String,
}

pub fn exec(ctx: &Context, args: Args) -> Result<ExitCode> {
    let ex = ctx.exercise(&args.exercise)?;
    let files = sources::learner(&ctx.root, ex)?;
    let report = ctx.engine.run(ex, &files)?;
    let code = if report.all_passed() { ExitCode::SUCCESS } else { ExitCode::from(1) };
    if ctx.json {
        print_json(&report)?;
        return Ok(code);
    }
    println!("{} {}\n", format!("Exercise {}:", ex.id).bold(), ex.title);
    match &report.outcome {
        Outcome::BuildFailed { .. } => show_build_error(&report),
        Outcome::Tested { tests } => {
            for t in tests {
                let mark = match t.status {
                    Status::Passed => format!("{}", "pass".green()),
                    Status::Failed => format!("{}", "FAIL".red()),
                    Status::TimedOut => format!("{}", "TIME".red()),
                    Status::Crashed => format!("{}", "CRASH".red()),
                    Status::NotRun => format!("{}", "SKIP".yellow()),
                };
                println!("  {mark}  {}", short_name(&t.name));
            }
            let points = report.points(ex);
            println!(
                "\n{} of {} tests pass ({} of {} points).",
                report.passed(),
                report.total(),
                points.scored,
                points.possible
            );
            if report.all_passed() {
                println!(
                    "{}",
                    "Exercise done. Run `cargo workbook` to see what comes next.".green()
                );
            } else {
                show_first_failure(&report);
            }
        }
    }
    Ok(code)
}
