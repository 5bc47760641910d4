//! The book's figures, drawn from the course's data and reference solutions.
//!
//! Every figure in `book/src/figures/` is written by [`render_all`]
//! (`cargo workbook figures`) with the same code the exercises are graded
//! against, so a figure can't show something the code doesn't do. The output
//! is deterministic: the same sources give the same bytes, and the course's
//! tests (`tests/book.rs`) fail when a committed figure differs from a fresh
//! rendering.
//!
//! To add a figure, write a function below, list it in [`FIGURES`], show it
//! in a chapter, and run `cargo workbook figures`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use solution_01::{Dataset, Recipe};
use support::plot::{Labels, Scale, Series, chart};

use crate::course::manifest::Manifest;

mod analytic;
mod capstone;
mod discussion;
mod network;
mod optimizers;
mod scaling;
mod surface;
mod workshop;

use analytic::*;
use capstone::*;
use discussion::*;
use network::*;
use optimizers::*;
use scaling::*;
use surface::*;
use workshop::*;

/// Draws one figure: `(course root, file to write)`.
pub type Draw = fn(&Path, &Path) -> Result<()>;

/// The book's figures: the file name in `book/src/figures/`, and the function
/// that draws it.
pub const FIGURES: &[(&str, Draw)] = &[
    ("house-prices.svg", house_prices),
    ("house-prices-guess.svg", house_prices_guess),
    ("exercise-01-data.svg", exercise_01_data),
    ("exercise-02-loss.svg", exercise_02_loss),
    ("exercise-03-tangents.svg", exercise_03_tangents),
    ("exercise-03-finite-differences.svg", exercise_03_finite_differences),
    ("exercise-03-surface.svg", exercise_03_surface),
    ("exercise-04-learning-rates.svg", exercise_04_learning_rates),
    ("exercise-04-convergence.svg", exercise_04_convergence),
    ("exercise-04-surface.svg", exercise_04_surface),
    ("exercise-04-batch-vs-stochastic.svg", exercise_04_batch_vs_stochastic),
    ("exercise-05-optimizers.svg", exercise_05_optimizers),
    ("exercise-05-paths.svg", exercise_05_paths),
    ("exercise-05-learning-rates.svg", exercise_05_learning_rates),
    ("exercise-06-houses.svg", exercise_06_houses),
    ("exercise-06-accuracy.md", exercise_06_accuracy),
    ("exercise-07-descent.svg", exercise_07_descent),
    ("exercise-07-bowls.md", exercise_07_bowls),
    ("exercise-08-curve.svg", exercise_08_curve),
    ("exercise-08-line-data.svg", exercise_08_line_data),
    ("exercise-08-dead-units.svg", exercise_08_dead_units),
    ("exercise-08-dropout.svg", exercise_08_dropout),
    ("exercise-10-cross-validation.svg", exercise_10_cross_validation),
    ("exercise-10-learning-curves.svg", exercise_10_learning_curves),
    ("exercise-10-report.md", exercise_10_report),
    ("discussion-feature-scaling.svg", discussion_feature_scaling),
    ("discussion-overfitting.svg", discussion_overfitting),
    ("discussion-epochs.svg", discussion_epochs),
];

/// The folder of the figures, relative to the book's folder.
pub const FIGURES_DIR: &str = "src/figures";

/// The lecture's house prices, as the course ships them.
pub const HOUSE_CSV: &str = "exercises/exercise-01/data/house_prices.csv";

/// Renders every figure of the book into `book/src/figures/` of the course at
/// `root` (the folder with `course.toml`) and returns the files written.
pub fn render_all(root: &Path) -> Result<Vec<PathBuf>> {
    let manifest = Manifest::load(root)?;
    render_into(root, &root.join(&manifest.course.book).join(FIGURES_DIR))
}

/// Renders every figure of the course at `root` into `dir` (created if
/// needed) and returns the files written, in the order of [`FIGURES`].
pub fn render_into(root: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut written = Vec::new();
    for (name, draw) in FIGURES {
        let path = dir.join(name);
        draw(root, &path).with_context(|| format!("drawing the figure {name}"))?;
        written.push(path);
    }
    Ok(written)
}
