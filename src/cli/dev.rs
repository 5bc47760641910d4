//! `cargo workbook dev …`: tools for the course's authors.

use std::process::ExitCode;

use anstream::{eprintln, println};
use anyhow::{Context as _, Result};
use clap::Subcommand;
use owo_colors::OwoColorize;
use workbook::course::mutants::{self, Fate};
use workbook::course::verify::{self, Checks};
use workbook::learner::{self, SyncStub};

use super::Context;

#[derive(Subcommand)]
pub enum Dev {
    /// Write every exercise's stub, made from its reference solution, into
    /// exercises/exercise-ID/src (files that differ are backed up first).
    SyncStubs {
        /// Only this exercise (default: all).
        exercise: Option<String>,
    },
    /// Check one exercise the way tests/course.rs does, through the grading
    /// engine: the stub fails every test, the solution passes every test,
    /// and each misconception fails a test whose message contains its hint.
    Verify {
        /// The exercise: `01`, `1` or `exercise-01`.
        exercise: String,
        /// Leave out the misconceptions: the stub, the solution and the core
        /// path only (quick, while writing `[[exercise.deeper]]`).
        #[arg(long)]
        no_misconceptions: bool,
    },
    /// Mutation testing: cargo-mutants changes the reference solution's
    /// code (only between BEGIN SOLUTION and END SOLUTION), and each change
    /// must fail a test of the exercise, or be listed as equivalent, with a
    /// reason, in solutions/solution-ID/mutants.toml.
    ///
    /// Prints per exercise the mutants tried, caught, timed out, unviable and
    /// survived, and each unexplained survivor with its diff. Needs the
    /// pinned cargo-mutants (`scripts/install-mutants`).
    Mutants {
        /// Only these exercises, e.g. `01,03` (default: all).
        #[arg(value_delimiter = ',')]
        exercises: Vec<String>,
        /// Print every line cargo-mutants prints.
        #[arg(long)]
        verbose: bool,
        /// Only the exercises whose solution, tests or support changed since
        /// their last clean run (recorded in solutions/solution-ID/mutants.checked).
        #[arg(long)]
        changed: bool,
    },
}

pub fn exec(ctx: &Context, dev: Dev) -> Result<ExitCode> {
    match dev {
        Dev::SyncStubs { exercise } => sync_stubs(ctx, exercise.as_deref()),
        Dev::Verify { exercise, no_misconceptions } => verify(ctx, &exercise, no_misconceptions),
        Dev::Mutants { exercises, verbose, changed } => mutants(ctx, &exercises, verbose, changed),
    }
}

fn mutants(ctx: &Context, keys: &[String], verbose: bool, changed: bool) -> Result<ExitCode> {
    let mut selected = if keys.is_empty() {
        ctx.manifest.exercises.iter().collect()
    } else {
        keys.iter().map(|k| ctx.exercise(k)).collect::<Result<Vec<_>>>()?
    };
    if changed {
        let mut stale = Vec::new();
        for ex in selected {
            if mutants::is_current(&ctx.root, ex)? {
                println!("exercise {}: unchanged since its last clean mutation run", ex.id);
            } else {
                stale.push(ex);
            }
        }
        selected = stale;
        if selected.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let tool = workbook::book::tool_dirs(&ctx.root)
        .into_iter()
        .map(|dir| dir.join("bin/cargo-mutants"))
        .find(|p| p.is_file())
        .context(
            "cargo-mutants is not installed: run scripts/install-mutants (a few minutes, once)",
        )?;
    let options = mutants::Options { tool };
    let mut clean = true;
    for ex in selected {
        eprintln!("Exercise {}: mutating the reference solution…", ex.id);
        let started = std::time::Instant::now();
        let mut show = |line: &str| {
            if verbose || line.contains("MISSED") {
                eprintln!("  {line}");
            }
        };
        let run = mutants::run(&ctx.root, &ctx.engine, ex, &options, &mut show)?;
        println!(
            "exercise {}: {} mutants: {} caught, {} timed out, {} unviable, {} survived ({} listed as equivalent) in {:.0} s",
            ex.id,
            run.mutants.len(),
            run.count(Fate::Caught),
            run.count(Fate::TimedOut),
            run.count(Fate::Unviable),
            run.count(Fate::Survived),
            run.equivalents.len(),
            started.elapsed().as_secs_f64()
        );
        for m in run.unexplained() {
            println!("  {} {} ({})\n{}", "SURVIVED".red().bold(), m.name, m.place, m.diff);
        }
        for e in run.stale_equivalents() {
            println!(
                "  {} mutants.toml lists {:?}, which no longer survives: remove the entry",
                "STALE".red().bold(),
                e.mutant
            );
        }
        if run.is_clean() {
            mutants::record(&ctx.root, ex)?;
        }
        clean &= run.is_clean();
    }
    if !clean {
        println!(
            "Kill each survivor with a test (its message names what is wrong), or list it in solutions/solution-ID/{} with the reason it is equivalent.",
            mutants::EQUIVALENTS_FILE
        );
    }
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn sync_stubs(ctx: &Context, only: Option<&str>) -> Result<ExitCode> {
    let only = only.map(|key| ctx.exercise(key).map(|e| e.id.clone())).transpose()?;
    for ex in ctx.manifest.exercises.iter().filter(|e| only.as_ref().is_none_or(|id| &e.id == id)) {
        if let SyncStub::Written { saved } = learner::sync_stub(&ctx.root, ex)? {
            if let Some(saved) = saved {
                println!("exercise {}: saved the previous files to {}", ex.id, saved.display());
            }
            println!("exercise {}: stub written to {}", ex.id, ex.dir().join("src").display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn verify(ctx: &Context, key: &str, no_misconceptions: bool) -> Result<ExitCode> {
    let ex = ctx.exercise(key)?;
    let checks = Checks { misconceptions: !no_misconceptions, ..Checks::all() };
    let v = verify::verify(&ctx.root, ex, &checks, &|files| ctx.engine.run(ex, files))?;
    println!("stub: {} of {} tests pass (must be 0)", v.stub.passed(), v.stub.total());
    println!(
        "solution: {} of {} tests pass (must be all)",
        v.solution.passed(),
        v.solution.total()
    );
    if !ex.deeper.is_empty() {
        let core = v.solution.tests().iter().filter(|t| ex.is_core(&t.name)).count();
        println!(
            "core path: {core} core tests; {} deeper tests in {} parts ({})",
            v.solution.total() - core,
            ex.deeper.len(),
            ex.deeper.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join("; ")
        );
    }
    for m in &v.misconceptions {
        println!(
            "misconception {}: {} tests fail, {} of them name it",
            m.name, m.failing, m.naming
        );
    }
    for problem in &v.problems {
        println!("  {} {problem}", "PROBLEM".red().bold());
    }
    Ok(if v.is_sound() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
