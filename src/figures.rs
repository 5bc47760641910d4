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

use crate::manifest::Manifest;

/// Draws one figure: `(course root, file to write)`.
pub type Draw = fn(&Path, &Path) -> Result<()>;

/// The book's figures: the file name in `book/src/figures/`, and the function
/// that draws it.
pub const FIGURES: &[(&str, Draw)] = &[
    ("house-prices.svg", house_prices),
    ("house-prices-guess.svg", house_prices_guess),
    ("exercise-01-data.svg", exercise_01_data),
    ("exercise-02-loss.svg", exercise_02_loss),
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

// ---------------------------------------------------------------------------
// Part 0, "What linear regression is": the lecture's house prices

fn houses(root: &Path) -> Result<Dataset> {
    let path = root.join(HOUSE_CSV);
    solution_01::load_csv(&path, "size_sqft", "price_lakh")
        .with_context(|| format!("loading {}", path.display()))
}

const HOUSE_LABELS: Labels<'static> = Labels {
    title: "House prices (the lecture's table)",
    x: "size (sq ft)",
    y: "price (lakh)",
};

/// The guessed line of "What linear regression is": ŷ = 0.02·x − 5.
const GUESS: (f64, f64) = (0.02, -5.0);

/// The table of house prices as points.
fn house_prices(root: &Path, path: &Path) -> Result<()> {
    let data = houses(root)?;
    chart(
        path,
        HOUSE_LABELS,
        Scale::Linear,
        &[Series::Points {
            label: "houses",
            x: &data.x,
            y: &data.y,
        }],
    )?;
    Ok(())
}

/// The houses and the guessed line through them.
fn house_prices_guess(root: &Path, path: &Path) -> Result<()> {
    let data = houses(root)?;
    let (w, b) = GUESS;
    let (lo, hi) = span(&data.x);
    let line_x = [lo, hi];
    let line_y = solution_02::predict_all(w, b, &line_x);
    chart(
        path,
        HOUSE_LABELS,
        Scale::Linear,
        &[
            Series::Points {
                label: "houses",
                x: &data.x,
                y: &data.y,
            },
            Series::Line {
                label: "a guess: ŷ = 0.02·x − 5",
                x: &line_x,
                y: &line_y,
            },
        ],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Exercise 1: the lecture's synthetic data

/// The lecture's recipe (x uniform on [0, 1), y = 2x + 1 + 0.1·noise) at the
/// course's seed, with the true line it was drawn from.
fn exercise_01_data(_root: &Path, path: &Path) -> Result<()> {
    let recipe = Recipe::lecture();
    let data = solution_01::generate(&recipe, solution_01::EXAMPLES, solution_01::SEED);
    let line_x = [0.0, 1.0];
    let line_y = line_x.map(|x| recipe.w * x + recipe.b);
    let points = format!("{} examples, seed {}", data.len(), solution_01::SEED);
    chart(
        path,
        Labels {
            title: "The lecture's recipe: y = 2x + 1 + noise",
            x: "x",
            y: "y",
        },
        Scale::Linear,
        &[
            Series::Points {
                label: &points,
                x: &data.x,
                y: &data.y,
            },
            Series::Line {
                label: "the true line y = 2x + 1",
                x: &line_x,
                y: &line_y,
            },
        ],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Exercise 2: the cost as a function of the weight

/// The mean squared error of lines ŷ = w·x − 5 over the houses, for w from
/// 0.016 to 0.028: a parabola with its lowest point at the best weight for
/// that bias. The guess of Part 0 (w = 0.02) is marked. (The range is lopsided
/// on purpose: the left arm stays clear of the legend in the upper left.)
fn exercise_02_loss(root: &Path, path: &Path) -> Result<()> {
    let data = houses(root)?;
    let b = GUESS.1;
    let cost =
        |w: f64| solution_02::mean_squared_error(&solution_02::predict_all(w, b, &data.x), &data.y);
    let steps = 60;
    let ws: Vec<f64> = (0..=steps)
        .map(|i| 0.016 + 0.012 * i as f64 / steps as f64)
        .collect();
    let costs = ws
        .iter()
        .map(|&w| cost(w))
        .collect::<Result<Vec<f64>, _>>()?;
    let guess_w = [GUESS.0];
    let guess_cost = [cost(GUESS.0)?];
    chart(
        path,
        Labels {
            title: "Mean squared error of ŷ = w·x − 5 on the houses",
            x: "weight w (bias b = −5)",
            y: "MSE (lakh²)",
        },
        Scale::Linear,
        &[
            Series::Line {
                label: "MSE(w)",
                x: &ws,
                y: &costs,
            },
            Series::Points {
                label: "the guess w = 0.02: MSE = 8/7",
                x: &guess_w,
                y: &guess_cost,
            },
        ],
    )?;
    Ok(())
}

fn span(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}
