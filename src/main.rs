use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use workbook::manifest::{self, Manifest};
use workbook::{backup, sources};

/// The linear-regression workbook's companion: shows your progress and checks your exercises.
#[derive(Parser)]
#[command(name = "cargo workbook", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Tools for the course's authors.
    #[command(subcommand)]
    Dev(Dev),
}

#[derive(Subcommand)]
enum Dev {
    /// Writes every exercise's stub, made from its reference solution, into
    /// exercises/exercise-ID/src (files that differ are backed up first).
    SyncStubs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let root = manifest::find_root(&std::env::current_dir()?)?;
    let manifest = Manifest::load(&root)?;
    match cli.command {
        None => Ok(ExitCode::SUCCESS),
        Some(Command::Dev(Dev::SyncStubs)) => {
            for ex in &manifest.exercises {
                let stub = sources::stub(&root, ex)?;
                let current = sources::learner(&root, ex).unwrap_or_default();
                if sources::same(&stub, &current) {
                    continue;
                }
                if !current.is_empty() {
                    let saved = backup::save(&root, &ex.package(), &current)?;
                    println!("exercise {}: saved the previous files to {}", ex.id, saved.display());
                }
                let src = root.join(ex.dir()).join("src");
                for (rel, text) in &stub {
                    let path = src.join(rel);
                    std::fs::create_dir_all(path.parent().unwrap())?;
                    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
                }
                for rel in current.keys().filter(|k| !stub.contains_key(*k)) {
                    std::fs::remove_file(src.join(rel))?;
                }
                println!("exercise {}: stub written to {}", ex.id, src.display());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
