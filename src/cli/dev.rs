//! `cargo workbook dev …`: tools for the course's authors.

use std::process::ExitCode;

use anstream::println;
use anyhow::Result;
use clap::Subcommand;
use owo_colors::OwoColorize;
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
    },
}

pub fn exec(ctx: &Context, dev: Dev) -> Result<ExitCode> {
    match dev {
        Dev::SyncStubs { exercise } => sync_stubs(ctx, exercise.as_deref()),
        Dev::Verify { exercise } => verify(ctx, &exercise),
    }
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

fn verify(ctx: &Context, key: &str) -> Result<ExitCode> {
    let ex = ctx.exercise(key)?;
    let v = verify::verify(&ctx.root, ex, &Checks::all(), &|files| ctx.engine.run(ex, files))?;
    println!("stub: {} of {} tests pass (must be 0)", v.stub.passed(), v.stub.total());
    println!(
        "solution: {} of {} tests pass (must be all)",
        v.solution.passed(),
        v.solution.total()
    );
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
