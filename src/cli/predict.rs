//! `cargo workbook predict MODEL.json DATA.csv`: a saved model's predictions
//! for new data.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anstream::{eprintln, println};
use anyhow::{Context as _, Result};
use workbook::data::model;

use super::Context;

#[derive(clap::Args)]
pub struct Args {
    /// The model file, written by `fit --save` or `train --save`.
    model: PathBuf,
    /// The CSV file of new data: a header naming the columns, then rows.
    data: PathBuf,
    /// Write the rows with their predictions to this CSV file (default: the
    /// standard output).
    #[arg(long, value_name = "PREDICTIONS.csv")]
    out: Option<PathBuf>,
}

pub fn exec(ctx: &Context, args: Args) -> Result<ExitCode> {
    let model = model::load(&args.model)?;
    // Written to memory first: a bad row leaves no half-written output.
    let mut buffer = Vec::new();
    let done = model::predict(&model, &args.data, &mut buffer)?;
    match &args.out {
        Some(path) => std::fs::write(path, buffer)
            .with_context(|| format!("could not write {}", path.display()))?,
        None => std::io::stdout().lock().write_all(&buffer)?,
    }
    if !done.ignored.is_empty() {
        eprintln!("Ignored the columns that are not features: {}", done.ignored.join(", "));
    }
    if let Some(path) = &args.out {
        if ctx.json {
            println!(
                "{}",
                serde_json::json!({"rows": done.rows, "ignored": done.ignored, "column": done.column, "out": path})
            );
        } else {
            println!("{} predictions ({}) written to {}", done.rows, done.column, path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
