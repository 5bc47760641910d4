//! `cargo workbook figures`: redraw the book's figures from the reference
//! solutions.

use std::process::ExitCode;

use anstream::println;
use anyhow::Result;
use workbook::book::figures;

use super::Context;

pub fn exec(ctx: &Context) -> Result<ExitCode> {
    for path in figures::render_all(&ctx.root)? {
        println!("wrote {}", path.strip_prefix(&ctx.root).unwrap_or(&path).display());
    }
    Ok(ExitCode::SUCCESS)
}
