//! `cargo workbook` without a subcommand: the course map and the next step.

use std::process::ExitCode;

use anstream::println;
use anyhow::Result;
use owo_colors::OwoColorize;
use workbook::course::manifest::Exercise;
use workbook::learner::progress::{self, Progress};
use workbook::util::fs::native;

use super::Context;
use super::ui::{show_build_error, show_failure, status_line};

pub fn exec(ctx: &Context) -> Result<ExitCode> {
    let mut rows = Vec::new();
    for ex in &ctx.manifest.exercises {
        if !ctx.json {
            status_line(&format!("checking exercise {}…", ex.id));
        }
        rows.push((ex, progress::of(&ctx.engine, &ctx.root, ex)?));
    }
    if ctx.json {
        let value: Vec<_> = rows
            .iter()
            .map(|(ex, p)| {
                serde_json::json!({"id": ex.id, "title": ex.title, "chapter": ex.chapter, "progress": p})
            })
            .collect();
        super::ui::print_json(&value)?;
        return Ok(ExitCode::SUCCESS);
    }
    status_line("");
    println!("{}\n", ctx.manifest.course.title.bold());
    let width = rows.iter().map(|(e, _)| e.title.chars().count()).max().unwrap_or(0);
    let book = native(&ctx.manifest.course.book).join("src");
    for (ex, p) in &rows {
        let label = p.label();
        let label = match p {
            Progress::Done { .. } => format!("{}", label.green()),
            Progress::Working { .. } if p.core_done() => format!("{}", label.cyan()),
            Progress::NotStarted => format!("{}", label.dimmed()),
            Progress::Working { .. } => format!("{}", label.yellow()),
            Progress::DoesNotCompile { .. } | Progress::Missing { .. } => {
                format!("{}", label.red())
            }
        };
        let pad = 22usize.saturating_sub(p.label().chars().count());
        println!(
            "  {}  {:<width$}  {label}{}  {}",
            ex.id.bold(),
            ex.title,
            " ".repeat(pad),
            format!("chapter: {}", book.join(native(&ex.chapter)).display()).dimmed()
        );
    }
    println!();
    let waiting: Vec<String> = rows
        .iter()
        .filter(|(_, p)| p.core_done() && !p.is_done())
        .map(|(ex, _)| {
            let parts: Vec<&str> = ex.deeper.iter().map(|d| d.name.as_str()).collect();
            format!("{} ({})", ex.id, parts.join("; "))
        })
        .collect();
    let next_core = rows.iter().find(|(_, p)| !p.core_done());
    let next_deeper = rows.iter().find(|(_, p)| !p.is_done());
    match (next_core, next_deeper) {
        (None, None) => {
            println!("{}", "Every exercise passes all its tests. Well done!".green().bold());
            println!(
                "The book goes on after the exercises: see {}.",
                book.join("SUMMARY.md").display()
            );
        }
        (Some((ex, p)), _) => {
            println!("{} exercise {}, {}", "Next:".bold(), ex.id, ex.title.bold());
            println!(
                "  1. Read the chapter: {} (rendered: `cargo workbook book --open`)",
                book.join(native(&ex.chapter)).display()
            );
            if !ex.deeper.is_empty() {
                let parts: Vec<&str> = ex.deeper.iter().map(|d| d.name.as_str()).collect();
                println!(
                    "     The core first; its sections marked \"Going deeper\" ({}) can wait.",
                    parts.join("; ")
                );
            }
            println!("  2. Edit {}", ex.dir().join("src").join("lib.rs").display());
            println!("  3. Run  {}", format!("cargo test -p {}", ex.package()).cyan());
            show_progress(ex, p);
            if !waiting.is_empty() {
                println!(
                    "\n{} {} (homework, or a second day)",
                    "Deeper parts waiting:".dimmed(),
                    waiting.join(", ")
                );
            }
        }
        (None, Some((ex, p))) => {
            println!(
                "{}",
                "The core path is done: every exercise's core tests pass.".green().bold()
            );
            println!("{} exercise {}, {}", "Going deeper:".bold(), ex.id, ex.title.bold());
            for part in &ex.deeper {
                println!(
                    "  - {}: read {}#{}",
                    part.name,
                    book.join(&ex.chapter).display(),
                    part.section
                );
            }
            println!("  Run  {}", format!("cargo test -p {}", ex.package()).cyan());
            show_progress(ex, p);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The first test to fix, or why the code does not build.
fn show_progress(ex: &Exercise, p: &Progress) {
    match p {
        Progress::Working { report, .. } => {
            if let Some(t) = progress::first_failure(ex, report) {
                show_failure(t)
            }
        }
        Progress::DoesNotCompile { report } => show_build_error(report),
        Progress::Missing { problem } => println!("\n{} {problem}", "Problem:".red().bold()),
        _ => {}
    }
}
