//! `cargo workbook`: the course's command-line tool. This file only parses
//! the command line and hands it to the command's module in `cli/`.

mod cli;

use std::process::ExitCode;

use anstream::eprintln;
use clap::Parser;
use owo_colors::OwoColorize;

use cli::{Cli, Command, Context};

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
        Some(Command::Grade(args)) => cli::grade::exec(&ctx, args),
        Some(Command::Fit(args)) => cli::fit::exec(&ctx, args),
        Some(Command::Train(args)) => cli::train::exec(&ctx, args),
        Some(Command::Predict(args)) => cli::predict::exec(&ctx, args),
        Some(Command::Serve(args)) => cli::serve::exec(&ctx, args),
        Some(Command::Plot(args)) => cli::plot::exec(&ctx, args),
        Some(Command::Autograder(a)) => cli::autograder::exec(&ctx, a),
        Some(Command::Figures) => cli::figures::exec(&ctx),
        Some(Command::Dev(dev)) => cli::dev::exec(&ctx, dev),
    }
}
