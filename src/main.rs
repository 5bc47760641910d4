//! `cargo workbook`: the course's command-line tool. This file only parses
//! the command line and hands it to the command's module in `cli/`.

mod cli;

use std::process::ExitCode;

use anstream::eprintln;
use clap::Parser;
use owo_colors::OwoColorize;

use cli::{Cli, Command, Context};

fn main() -> ExitCode {
    #[cfg(not(feature = "full"))]
    {
        let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
        if cli::forward::full_only(&args).is_some() {
            let forwarded =
                workbook::course::manifest::find_root(&std::env::current_dir().unwrap_or_default())
                    .map_err(anyhow::Error::from)
                    .and_then(|root| cli::forward::run(&root, &args));
            return match forwarded {
                Ok(code) => code,
                Err(e) => {
                    eprintln!("{} {e:#}", "error:".red().bold());
                    ExitCode::from(2)
                }
            };
        }
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{} {e:#}", "error:".red().bold());
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let ctx = Context::load(&cli)?;
    match cli.command {
        None => cli::map::exec(&ctx),
        Some(Command::Check(args)) => cli::check::exec(&ctx, args),
        Some(Command::Hint(args)) => cli::hint::exec(&ctx, args),
        Some(Command::Reset(args)) => cli::reset::exec(&ctx, args),
        Some(Command::Solution(args)) => cli::solution::exec(&ctx, args),
        Some(Command::Watch(args)) => cli::watch::exec(&ctx, args),
        Some(Command::Book(args)) => cli::book::exec(&ctx, args),
        Some(Command::Plot(args)) => cli::plot::exec(&ctx, args),
        #[cfg(feature = "full")]
        Some(Command::Grade(args)) => cli::grade::exec(&ctx, args),
        #[cfg(feature = "full")]
        Some(Command::Fit(args)) => cli::fit::exec(&ctx, args),
        #[cfg(feature = "full")]
        Some(Command::Train(args)) => cli::train::exec(&ctx, args),
        #[cfg(feature = "full")]
        Some(Command::Predict(args)) => cli::predict::exec(&ctx, args),
        #[cfg(feature = "full")]
        Some(Command::Serve(args)) => cli::serve::exec(&ctx, args),
        #[cfg(feature = "full")]
        Some(Command::Autograder(a)) => cli::autograder::exec(&ctx, a),
        #[cfg(feature = "full")]
        Some(Command::Figures) => cli::figures::exec(&ctx),
        #[cfg(feature = "full")]
        Some(Command::Dev(dev)) => cli::dev::exec(&ctx, dev),
        // Handed to the full tool before clap parsed them (see `main`).
        #[cfg(not(feature = "full"))]
        Some(_) => {
            anyhow::bail!(
                "this command is part of the full tool: run it as `cargo workbook COMMAND`"
            )
        }
    }
}
