//! `cargo workbook fit DATA.csv`: least squares on the user's own data.

use std::path::PathBuf;
use std::process::ExitCode;

use anstream::{print, println};
use anyhow::Result;
use workbook::data::fit::{self, SolverChoice};
use workbook::data::model;

use super::Context;

#[derive(clap::Args)]
pub struct Args {
    /// The CSV file.
    data: PathBuf,
    /// The column to predict (default: the last one).
    #[arg(long)]
    target: Option<String>,
    /// Fit a model through the origin (no intercept b).
    #[arg(long)]
    no_intercept: bool,
    /// How to solve: QR with refinement (accurate, the default), the
    /// normal equations (fast, loses twice the digits), or the SVD.
    #[arg(long, value_enum, default_value_t = SolverChoice::Qr)]
    solver: SolverChoice,
    /// Save the fitted model to this file (JSON, exercise 09's format), for
    /// `cargo workbook predict`.
    #[arg(long, value_name = "MODEL.json")]
    save: Option<PathBuf>,
}

pub fn exec(ctx: &Context, args: Args) -> Result<ExitCode> {
    let summary =
        fit::fit(&args.data, args.target.as_deref(), !args.no_intercept, args.solver.into())?;
    if let Some(path) = &args.save {
        model::save(&model::from_fit(&summary, &args.data)?, path)?;
    }
    if ctx.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        print!("{}", fit::describe(&summary));
        if let Some(path) = &args.save {
            println!("The model is saved in {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
