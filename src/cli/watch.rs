//! `cargo workbook watch [EX]`: rerun the tests on every save.

use std::process::ExitCode;
use std::time::Duration;

use anstream::{print, println};
use anyhow::Result;
use owo_colors::OwoColorize;
use workbook::course::manifest::Exercise;
use workbook::engine::{Outcome, Report};
use workbook::learner::{progress, watch};
use workbook::util::fs::native;

use super::Context;
use super::ui::{show_build_error, show_failure};

#[derive(clap::Args)]
pub struct Args {
    /// The exercise to start with (default: the first one not done).
    exercise: Option<String>,
    /// Poll the files twice a second instead of relying on the file
    /// system's change events (for network drives and some containers;
    /// the tool also switches to polling by itself when events fail).
    #[arg(long)]
    poll: bool,
    /// Plain output: never clear the screen (also the default when the
    /// output is not a terminal).
    #[arg(long)]
    no_tui: bool,
}

pub fn exec(ctx: &Context, args: Args) -> Result<ExitCode> {
    use std::io::IsTerminal;
    let exercises = &ctx.manifest.exercises;
    // The exercise to start on, and whether to stay on it until every test
    // passes (asked for by name, or every core is done) rather than until its
    // core passes.
    let (start, whole_first) = match &args.exercise {
        Some(key) => {
            let ex = ctx.exercise(key)?;
            (exercises.iter().position(|e| e.id == ex.id).expect("found in the manifest"), true)
        }
        None => {
            let (mut core, mut deeper) = (None, None);
            for (i, ex) in exercises.iter().enumerate() {
                let p = progress::of(&ctx.engine, &ctx.root, ex)?;
                if !p.core_done() {
                    core = Some(i);
                    break;
                }
                if !p.is_done() && deeper.is_none() {
                    deeper = Some(i);
                }
            }
            match (core, deeper) {
                (Some(i), _) => (i, false),
                (None, Some(i)) => (i, true),
                (None, None) => (exercises.len(), false),
            }
        }
    };
    if start == exercises.len() {
        println!("{}", "Every exercise already passes all its tests. Nothing to watch.".green());
        return Ok(ExitCode::SUCCESS);
    }
    let clear = !args.no_tui && std::io::stdout().is_terminal();
    let mut screen = Screen { clear, keep_screen: false };
    let options =
        watch::Options { poll: args.poll, debounce: Duration::from_millis(250), whole_first };
    watch::run(&ctx.root, &ctx.manifest, &ctx.engine, start, &options, &mut screen)?;
    println!("{}", "Every exercise passes all its tests. Well done!".green().bold());
    Ok(ExitCode::SUCCESS)
}

/// The terminal as the watch shows its runs.
struct Screen {
    clear: bool,
    /// Set after an exercise was finished, so its "done" message stays on
    /// screen above the next exercise's first run.
    keep_screen: bool,
}

impl watch::Screen for Screen {
    fn running(&mut self, ex: &Exercise) {
        if self.clear && !self.keep_screen {
            print!("\x1b[2J\x1b[H");
        }
        self.keep_screen = false;
        println!("{} exercise {}, {}…", "Testing".bold(), ex.id, ex.title);
    }

    fn report(&mut self, ex: &Exercise, report: &Report) {
        match &report.outcome {
            Outcome::BuildFailed { .. } => show_build_error(report),
            Outcome::Tested { .. } => {
                let line = format!("{} of {} tests pass.", report.passed(), report.total());
                if report.all_passed() {
                    println!("{}", line.green());
                } else {
                    println!("{}", line.yellow());
                    if let Some(t) = progress::first_failure(ex, report) {
                        show_failure(t);
                    }
                }
            }
        }
    }

    fn error(&mut self, ex: &Exercise, error: &anyhow::Error) {
        println!(
            "{} could not run the tests of exercise {}: {error:#}",
            "error:".red().bold(),
            ex.id
        );
    }

    fn waiting(&mut self, ex: &Exercise, polling: bool) {
        let how = if polling { " (polling)" } else { "" };
        let src = ex.dir().join("src");
        let text =
            format!("Watching {}{how}: save a file to test again. Ctrl-C stops.", src.display());
        println!("\n{}", text.dimmed());
    }

    fn moving_on(&mut self, done: &Exercise, whole: bool, next: Option<&Exercise>) {
        self.keep_screen = true;
        if whole {
            println!("{}", format!("Exercise {} is done!", done.id).green().bold());
        } else {
            let parts: Vec<&str> = done.deeper.iter().map(|d| d.name.as_str()).collect();
            println!("{}", format!("The core of exercise {} is done!", done.id).green().bold());
            println!(
                "Its deeper parts ({}) can wait: `cargo workbook watch {}` comes back to them.",
                parts.join("; "),
                done.id
            );
        }
        if let Some(next) = next {
            let chapter = native(&next.chapter);
            println!(
                "On to exercise {}, {}: read {} first.",
                next.id,
                next.title,
                chapter.display()
            );
        }
    }
}
