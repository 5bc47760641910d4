//! `cargo workbook plot 03` runs this with your code, and again with the
//! reference solution, and shows the figures side by side: the cost of three
//! points with tangent lines whose slopes are your gradients, and your
//! central differences against the forward ones.
//!
//! Usage: cargo run -p exercise-03 --example plot -- OUT_DIR WHOSE

use std::path::PathBuf;

use exercise_03::{central_difference, forward_difference, mse_gradient};
use solution_02::{mean_squared_error, predict_all};
use support::plot::{Labels, Scale, Series, chart};

/// Three points on the line y = 2x + 1.
const X: [f64; 3] = [1.0, 2.0, 3.0];
const Y: [f64; 3] = [3.0, 5.0, 7.0];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: plot OUT_DIR WHOSE")?);
    let whose = args.next().unwrap_or_else(|| "your".to_string());
    std::fs::create_dir_all(&out)?;

    let b = 1.0;
    let cost = |w: f64| mean_squared_error(&predict_all(w, b, &X), &Y);
    let ws: Vec<f64> = (0..=80).map(|i| 1.0 + 4.0 * i as f64 / 80.0).collect();
    let costs = ws.iter().map(|&w| cost(w)).collect::<Result<Vec<f64>, _>>()?;
    let mut lines = Vec::new();
    for w0 in [1.25, 2.0, 4.0] {
        let slope = mse_gradient(w0, b, &X, &Y)?.dw;
        let j0 = cost(w0)?;
        let lw = vec![w0 - 0.4, w0 + 0.4];
        let lj: Vec<f64> = lw.iter().map(|w| j0 + slope * (w - w0)).collect();
        lines.push((format!("tangent at w = {w0}, slope {slope:.3}"), lw, lj));
    }
    let mut series = vec![Series::Line { label: "cost J(w), b = 1", x: &ws, y: &costs }];
    for (label, lw, lj) in &lines {
        series.push(Series::Line { label, x: lw, y: lj });
    }
    chart(
        &out.join("tangents.svg"),
        Labels {
            title: &format!("Tangents with {whose} gradients"),
            x: "weight w",
            y: "cost J (MSE)",
        },
        Scale::Linear,
        &series,
    )?;

    // d/dx of x³ at x = 2 is 12: the error of both differences as h shrinks.
    let cube = |x: f64| x * x * x;
    let hs: Vec<f64> = (1..=12).map(|k| 10f64.powi(-k)).collect();
    let (mut log_h, mut forward, mut central) = (Vec::new(), Vec::new(), Vec::new());
    for &h in &hs {
        log_h.push(h.log10());
        forward.push(((forward_difference(cube, 2.0, h)? - 12.0).abs().max(1e-17)).log10());
        central.push(((central_difference(cube, 2.0, h)? - 12.0).abs().max(1e-17)).log10());
    }
    chart(
        &out.join("finite-differences.svg"),
        Labels {
            title: &format!("Error of {whose} finite differences of x³ at 2"),
            x: "log10 h",
            y: "log10 |error|",
        },
        Scale::Linear,
        &[
            Series::Line { label: "forward", x: &log_h, y: &forward },
            Series::Line { label: "central", x: &log_h, y: &central },
        ],
    )?;
    Ok(())
}
