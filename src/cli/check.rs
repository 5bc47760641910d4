//! `cargo workbook check EX`: every test of one exercise, graded as the
//! course grades it.

use std::process::ExitCode;

use anstream::println;
use anyhow::Result;
use owo_colors::OwoColorize;
use workbook::course::manifest::short_name;
use workbook::course::sources;
use workbook::engine::{Outcome, Status};
use workbook::learner::progress;

use super::Context;
use super::ui::{print_json, show_build_error, show_failure};

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
                match ex.deeper_part(&t.name) {
                    Some(part) => println!(
                        "  {mark}  {}  {}",
                        short_name(&t.name),
                        format!("(deeper: {})", part.name).dimmed()
                    ),
                    None => println!("  {mark}  {}", short_name(&t.name)),
                }
            }
            let points = report.points(ex);
            println!(
                "\n{} of {} tests pass ({} of {} points).",
                report.passed(),
                report.total(),
                points.scored,
                points.possible
            );
            if !ex.deeper.is_empty() {
                // The core path first: a learner on the day needs to know
                // whether the core is done among the deeper parts' failures.
                let core: Vec<_> = tests.iter().filter(|t| ex.is_core(&t.name)).collect();
                let core_passed = core.iter().filter(|t| t.status == Status::Passed).count();
                let (passed, total) = (report.passed() - core_passed, tests.len() - core.len());
                println!(
                    "Core: {core_passed} of {} tests pass; deeper parts: {passed} of {total}.",
                    core.len()
                );
            }
            if report.all_passed() {
                println!(
                    "{}",
                    "Exercise done. Run `cargo workbook` to see what comes next.".green()
                );
            } else if let Some(t) = progress::first_failure(ex, &report) {
                // The core's first failure before any deeper part's.
                show_failure(t);
            }
        }
    }
    Ok(code)
}
