//! The command line: clap's types, and one module per command, each an
//! `Args` struct and an `exec` that calls the library and prints.

//!
//! Without the feature `full` (the learner's first build), the data,
//! grading and authoring commands are not compiled in: `forward` hands them
//! to the full tool, which cargo builds on their first use.

#[cfg(feature = "full")]
pub mod autograder;
pub mod book;
pub mod check;
#[cfg(feature = "full")]
pub mod dev;
#[cfg(feature = "full")]
pub mod figures;
#[cfg(feature = "full")]
pub mod fit;
#[cfg(not(feature = "full"))]
pub mod forward;
#[cfg(feature = "full")]
pub mod grade;
pub mod hint;
pub mod map;
pub mod plot;
#[cfg(feature = "full")]
pub mod predict;
pub mod reset;
#[cfg(feature = "full")]
pub mod serve;
pub mod solution;
#[cfg(feature = "full")]
pub mod train;
pub mod ui;
pub mod watch;

// The commands of the full tool: their own arguments with it, and without
// it any arguments (`forward` passes them on before clap parses them; clap
// sees these only to list the commands in `--help`).
#[cfg(not(feature = "full"))]
use forward::{
    Forwarded as AutograderArgs, Forwarded as DevArgs, Forwarded as FitArgs,
    Forwarded as GradeArgs, Forwarded as PredictArgs, Forwarded as ServeArgs,
    Forwarded as TrainArgs,
};
#[cfg(feature = "full")]
use {
    autograder::Autograder as AutograderArgs, dev::Dev as DevArgs, fit::Args as FitArgs,
    grade::Args as GradeArgs, predict::Args as PredictArgs, serve::Args as ServeArgs,
    train::Args as TrainArgs,
};

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};
use workbook::course::manifest::{self, Exercise, Manifest};
use workbook::engine::Engine;

/// Your companion through the linear-regression workbook.
///
/// Without a subcommand it shows the course map: every exercise, how far you
/// are with it (computed from your code as it is now), and what to do next.
#[derive(Parser)]
#[command(
    name = "cargo workbook",
    version,
    after_help = "Exit codes: 0 success; 1 an exercise's tests fail; 2 the tool could not do its job (bad input, missing files)."
)]
pub struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Seconds one of your tests may run before it counts as never returning
    /// (the course map, check and watch).
    #[arg(long, global = true, default_value_t = 20, value_name = "SECONDS")]
    pub test_timeout: u64,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run one exercise's tests the way the course grades them and show
    /// every result, with the message of each failure.
    ///
    /// The same as `cargo test -p exercise-ID`, but the tests run in a clean
    /// copy of the course (your edits to tests don't count) and each test is
    /// reported on its own line.
    Check(check::Args),
    /// Show the next hint of an exercise, one step at a time: a nudge first,
    /// then a stronger hint, then where the reference solution is.
    ///
    /// The tool remembers which hints you have seen; run it again for the
    /// next one. `--again` repeats the last one without moving on.
    Hint(hint::Args),
    /// Start an exercise over: put the untouched stub back.
    ///
    /// Your files are first saved to a timestamped backup in
    /// .workbook/backups/ (git-ignored), whose folder is printed; nothing you
    /// wrote is lost. `--undo` puts the newest backup back.
    Reset(reset::Args),
    /// Show an exercise's reference solution, or with `--diff` how your code
    /// differs from it.
    ///
    /// Try first: before the exercise passes its tests, the tool asks you to
    /// confirm (or pass `--yes`).
    Solution(solution::Args),
    /// Rerun an exercise's tests every time you save one of its files.
    ///
    /// Shows the first failing test's message and hint after each run, and
    /// moves on to the next exercise when every test passes. Code that does
    /// not compile, panics or never returns is reported, and the watch goes on.
    /// Stop it with Ctrl-C.
    Watch(watch::Args),
    /// Read the book offline: build it and serve it on localhost, or with
    /// `--build` only write it to target/book.
    ///
    /// Needs the pinned book tools (mdbook and mdbook-katex); the first run
    /// installs them with `scripts/install-book-tools` (a few minutes, once).
    Book(book::Args),
    /// Grade a class's submissions (for instructors).
    ///
    /// SUBMISSIONS is a folder with one entry per student: a folder, a .zip
    /// or a .tar.gz of the student's copy of the course (or of its
    /// exercises/ folder); the entry's name is the student id. Only the
    /// learner's own sources (exercises/exercise-NN/src/**/*.rs) are taken
    /// from a submission: tests, snapshots, manifests and build files always
    /// come from this course, and a submission that changed them is flagged.
    /// Each submission is built and tested under bubblewrap, which sees only
    /// the toolchain, the crate registry, the course and the submission; the
    /// grader refuses to run without it unless given --no-sandbox.
    ///
    /// Writes OUT/gradebook.csv, OUT/results.json, OUT/feedback/STUDENT.md and
    /// OUT/report.md. Stopped (Ctrl-C) and run again, it continues where it
    /// stopped (results are cached by the content of each submission's
    /// sources).
    Grade(GradeArgs),
    /// Fit a linear model to your own CSV file by least squares (exercise 06's
    /// reference solver).
    ///
    /// The file's first line names the columns; every other line holds one
    /// number per column. The target is the last column unless --target
    /// names another; every other column is a feature. Prints the intercept,
    /// the weights, R² and the residual standard deviation.
    Fit(FitArgs),
    /// Train a linear model on your own CSV file by gradient descent, with
    /// exercise 05's torch.optim-style optimizers.
    ///
    /// The file's first line names the columns; the target is the last column
    /// unless --target names another; every other column is a feature. The
    /// parameters start at zero (or --init random) and every row trains; the
    /// run stops early when the loss falls below --stop-below. Prints the
    /// weights and writes a plot of the loss per epoch; with --json, every
    /// optimizer step: the loss before it and the parameters after it.
    Train(TrainArgs),
    /// Predict every row of a CSV file with a model saved by `fit --save` or
    /// `train --save`.
    ///
    /// The model's features are found among the file's columns by name, in
    /// any order; other columns are ignored (and listed). Writes the file's
    /// rows with a column `predicted_TARGET` added, to --out or to the
    /// standard output. A model file that is damaged, of a newer format, or
    /// whose parameters do not fit its architecture is refused, and so is a
    /// row whose feature is not a number (the error names its line).
    Predict(PredictArgs),
    /// Serve a saved model over HTTP on 127.0.0.1: `POST /predict` with
    /// `{"rows": [{"feature": value, …}, …]}` answers
    /// `{"predictions": […], "ignored": […]}`; `GET /health` says which model.
    ///
    /// A body that is not that JSON is a 400, a row without one of the
    /// model's features a 422, a body over 1 MiB a 413, each with
    /// `{"error": message}`. Every request is logged on the standard error.
    Serve(ServeArgs),
    /// Draw the chapter's figures with your own code, next to the same
    /// figures drawn by the reference solution.
    ///
    /// Runs the exercise's `examples/plot.rs` twice, with your code and with
    /// the reference solution, and writes both sets of SVG files and an
    /// index.html that shows them side by side into the folder it names.
    Plot(plot::Args),
    /// Write what a grading platform needs to grade each student's
    /// submission with this course's grader (for instructors).
    ///
    /// `classroom50 --out DIR`: the autograder bundle for Classroom 50 (put
    /// DIR at CLASSROOM/autograders/ASSIGNMENT/ in your classroom50
    /// repository). `gradescope --out autograder.zip`: the autograder zip to
    /// upload to a Gradescope programming assignment. Both pack the course
    /// at its current commit and grade with its pristine tests; only the
    /// student's exercises/exercise-NN/src/**/*.rs are taken from a
    /// submission. `scripts/try-autograder` runs either one locally.
    #[cfg_attr(feature = "full", command(subcommand))]
    Autograder(AutograderArgs),
    /// Redraw every figure of the book from the reference solutions into
    /// book/src/figures/ (deterministic: the same code gives the same files;
    /// the book's tests fail when a committed figure is stale).
    Figures,
    /// Tools for the course's authors.
    #[cfg_attr(feature = "full", command(subcommand))]
    #[command(hide = true)]
    Dev(DevArgs),
}

/// What every command works with: the course it runs in, its manifest, the
/// grading engine, and the global options.
pub struct Context {
    /// The course's folder (the one holding `course.toml`).
    pub root: PathBuf,
    pub manifest: Manifest,
    pub engine: Engine,
    pub json: bool,
}

impl Context {
    /// Finds the course from the current folder and loads its manifest.
    pub fn load(cli: &Cli) -> Result<Context> {
        let root = manifest::find_root(&std::env::current_dir()?)?;
        let manifest = Manifest::load(&root)?;
        let mut engine = Engine::new(&root);
        engine.test_timeout = Duration::from_secs(cli.test_timeout.max(1));
        Ok(Context { root, manifest, engine, json: cli.json })
    }

    /// The exercise `key` names (`01`, `1` or `exercise-01`).
    pub fn exercise(&self, key: &str) -> Result<&Exercise> {
        self.manifest.find(key).with_context(|| {
            let ids: Vec<&str> = self.manifest.exercises.iter().map(|e| e.id.as_str()).collect();
            format!("there is no exercise \"{key}\"; the course has {}", ids.join(", "))
        })
    }
}
