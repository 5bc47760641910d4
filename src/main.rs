//! `cargo workbook`: the course's command-line tool.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anstream::{eprintln, println};
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use owo_colors::OwoColorize;

use workbook::engine::{Engine, Outcome, Report, Status};
use workbook::manifest::{self, Exercise, Manifest};
use workbook::progress::{self, Progress};
use workbook::{backup, sources};

/// Your companion through the linear-regression workbook.
///
/// Without a subcommand it shows the course map: every exercise, how far you
/// are with it (computed from your code as it is now), and what to do next.
#[derive(Parser)]
#[command(name = "cargo workbook", version, after_help = "Exit codes: 0 success; 1 an exercise's tests fail; 2 the tool could not do its job (bad input, missing files).")]
struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run one exercise's tests the way the course grades them and show
    /// every result, with the message of each failure.
    ///
    /// The same as `cargo test -p exercise-ID`, but the tests run in a clean
    /// copy of the course (your edits to tests don't count) and each test is
    /// reported on its own line.
    Check {
        /// The exercise: `01`, `1` or `exercise-01`.
        exercise: String,
    },
    /// Tools for the course's authors.
    #[command(subcommand, hide = true)]
    Dev(Dev),
}

#[derive(Subcommand)]
enum Dev {
    /// Write every exercise's stub, made from its reference solution, into
    /// exercises/exercise-ID/src (files that differ are backed up first).
    SyncStubs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{} {e:#}", "error:".red().bold());
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let root = manifest::find_root(&std::env::current_dir()?)?;
    let manifest = Manifest::load(&root)?;
    let engine = Engine::new(&root);
    match cli.command {
        None => course_map(&root, &manifest, &engine, cli.json),
        Some(Command::Check { exercise }) => check(&root, &manifest, &engine, &exercise, cli.json),
        Some(Command::Dev(Dev::SyncStubs)) => sync_stubs(&root, &manifest),
    }
}

fn find<'a>(manifest: &'a Manifest, key: &str) -> Result<&'a Exercise> {
    manifest.find(key).with_context(|| {
        let ids: Vec<&str> = manifest.exercises.iter().map(|e| e.id.as_str()).collect();
        format!("there is no exercise \"{key}\"; the course has {}", ids.join(", "))
    })
}

fn course_map(root: &Path, manifest: &Manifest, engine: &Engine, json: bool) -> Result<ExitCode> {
    let mut rows = Vec::new();
    for ex in &manifest.exercises {
        if !json {
            eprint_status(&format!("checking exercise {}…", ex.id));
        }
        rows.push((ex, progress::of(engine, root, ex)?));
    }
    if !json {
        eprint_status("");
    }
    if json {
        let value: Vec<_> = rows
            .iter()
            .map(|(ex, p)| serde_json::json!({"id": ex.id, "title": ex.title, "chapter": ex.chapter, "progress": p}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}\n", manifest.course.title.bold());
    let width = rows.iter().map(|(e, _)| e.title.chars().count()).max().unwrap_or(0);
    for (ex, p) in &rows {
        let label = p.label();
        let label = match p {
            Progress::Done { .. } => format!("{}", label.green()),
            Progress::NotStarted => format!("{}", label.dimmed()),
            Progress::Working { .. } => format!("{}", label.yellow()),
            Progress::DoesNotCompile { .. } | Progress::Missing { .. } => format!("{}", label.red()),
        };
        println!("  {}  {:<width$}  {}", ex.id.bold(), ex.title, label);
    }
    println!();
    let book = Path::new(&manifest.course.book).join("src");
    match rows.iter().find(|(_, p)| !p.is_done()) {
        None => {
            println!("{}", "Every exercise passes all its tests. Well done!".green().bold());
            println!("The book goes on after the exercises: see {}.", book.join("SUMMARY.md").display());
        }
        Some((ex, p)) => {
            println!("{} exercise {}, {}", "Next:".bold(), ex.id, ex.title.bold());
            println!("  1. Read the chapter: {}", book.join(&ex.chapter).display());
            println!("  2. Edit {}", ex.dir().join("src").join("lib.rs").display());
            println!("  3. Run  {}", format!("cargo test -p {}", ex.package()).cyan());
            match p {
                Progress::Working { report, .. } => show_first_failure(report),
                Progress::DoesNotCompile { report } => show_build_error(report),
                Progress::Missing { problem } => println!("\n{} {problem}", "Problem:".red().bold()),
                _ => {}
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn eprint_status(text: &str) {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K{text}");
    }
}

fn show_first_failure(report: &Report) {
    if let Some(t) = report.first_failure() {
        println!("\nThe first test that does not pass yet is {}:", manifest::short_name(&t.name).bold());
        for line in t.message.lines() {
            println!("    {line}");
        }
    }
}

fn show_build_error(report: &Report) {
    if let Outcome::BuildFailed { diagnostics } = &report.outcome {
        println!("\nYour code does not compile yet. The compiler says:\n");
        for line in diagnostics.lines().take(40) {
            println!("    {line}");
        }
    }
}

fn check(root: &Path, manifest: &Manifest, engine: &Engine, key: &str, json: bool) -> Result<ExitCode> {
    let ex = find(manifest, key)?;
    let files = sources::learner(root, ex)?;
    let report = engine.run(ex, &files)?;
    let code = if report.all_passed() { ExitCode::SUCCESS } else { ExitCode::from(1) };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
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
                };
                println!("  {mark}  {}", manifest::short_name(&t.name));
            }
            let (got, max) = report.points(ex);
            println!("\n{} of {} tests pass ({got} of {max} points).", report.passed(), report.total());
            if report.all_passed() {
                println!("{}", "Exercise done. Run `cargo workbook` to see what comes next.".green());
            } else {
                show_first_failure(&report);
            }
        }
    }
    Ok(code)
}

fn sync_stubs(root: &Path, manifest: &Manifest) -> Result<ExitCode> {
    for ex in &manifest.exercises {
        let stub = sources::stub(root, ex)?;
        let current = sources::learner(root, ex).unwrap_or_default();
        if sources::same(&stub, &current) {
            continue;
        }
        if !current.is_empty() {
            let saved = backup::save(root, &ex.package(), &current)?;
            println!("exercise {}: saved the previous files to {}", ex.id, saved.display());
        }
        let src: PathBuf = root.join(ex.dir()).join("src");
        for (rel, text) in &stub {
            let path = src.join(rel);
            std::fs::create_dir_all(path.parent().expect("has parent"))?;
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
        for rel in current.keys().filter(|k| !stub.contains_key(*k)) {
            std::fs::remove_file(src.join(rel))?;
        }
        println!("exercise {}: stub written to {}", ex.id, src.display());
    }
    Ok(ExitCode::SUCCESS)
}
