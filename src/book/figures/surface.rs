//! The cost surface J(w, b) of the lecture's training data as contour lines,
//! with the paths that gradient descent and the optimizers take across it
//! (chapters 3, 4 and 5), and the fitted line epoch by epoch (chapter 4).
//!
//! Ng's ex1 draws the surface; here the same picture also shows where each
//! method goes on it, step by step, computed by the reference solutions.

use contour::ContourBuilder;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use support::plot::tidy;

use super::*;

/// A path of (w, b) across the surface, one point per step.
pub(super) struct Track {
    pub label: String,
    pub w: Vec<f64>,
    pub b: Vec<f64>,
}

/// A marked point: the start, the least-squares line.
pub(super) struct Mark {
    pub label: String,
    pub w: f64,
    pub b: f64,
}

/// An arrow from (w, b) by (dw, db), in the units of the axes.
pub(super) struct Arrow {
    pub label: String,
    pub from: (f64, f64),
    pub by: (f64, f64),
}

/// The colours of the tracks: the same as `support::plot`'s, so that the
/// book's figures read alike.
const COLORS: [RGBColor; 5] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
];
const LEVEL_COLOR: RGBColor = RGBColor(170, 170, 170);
const MARK_COLOR: RGBColor = RGBColor(0, 0, 0);

/// Grid points across each axis at which J is computed for the contours.
const GRID: usize = 161;

/// The cost J(w, b): the MSE of the line ŷ = w·x + b on `data`, by exercise
/// 2's reference solution.
pub(super) fn cost(data: &Dataset, w: f64, b: f64) -> Result<f64> {
    Ok(solution_02::mean_squared_error(&solution_02::predict_all(w, b, &data.x), &data.y)?)
}

/// The cost levels drawn: the smallest cost on the grid plus 0.01·2ᵏ, so
/// that each line out from the bottom of the bowl is twice as far above it
/// as the one inside it.
pub(super) fn levels(lowest: f64, highest: f64) -> Vec<f64> {
    (0..).map(|k| lowest + 0.01 * 2f64.powi(k)).take_while(|&level| level < highest).collect()
}

/// Draws the contour lines of J(w, b) on `data` over the window
/// `w_range` × `b_range`, then the tracks, arrows and marks, with a legend.
pub(super) fn surface_chart(
    path: &Path,
    title: &str,
    data: &Dataset,
    (w_range, b_range): ((f64, f64), (f64, f64)),
    tracks: &[Track],
    arrows: &[Arrow],
    marks: &[Mark],
) -> Result<()> {
    let drawing = |e: &dyn std::fmt::Display| anyhow::anyhow!("drawing {}: {e}", path.display());
    let (w_step, b_step) =
        ((w_range.1 - w_range.0) / (GRID - 1) as f64, (b_range.1 - b_range.0) / (GRID - 1) as f64);
    // Row by row, b fixed along a row: the order the contour crate reads.
    let mut values = Vec::with_capacity(GRID * GRID);
    for j in 0..GRID {
        for i in 0..GRID {
            values.push(cost(data, w_range.0 + i as f64 * w_step, b_range.0 + j as f64 * b_step)?);
        }
    }
    let (lowest, highest) = span(&values);
    let thresholds = levels(lowest, highest);
    let lines = ContourBuilder::new(GRID, GRID, true)
        .x_origin(w_range.0)
        .y_origin(b_range.0)
        .x_step(w_step)
        .y_step(b_step)
        .lines(&values, &thresholds)
        .map_err(|e| anyhow::anyhow!("contour lines of the cost: {e:?}"))?;

    let root = SVGBackend::new(path, (640, 480)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| drawing(&e))?;
    let mut chart =
        axes(&root, title, (w_range.0..w_range.1, b_range.0..b_range.1), ("weight w", "bias b"))?;

    let level_label = format!(
        "cost levels: J = {} + 0.01·2ᵏ (each twice as high as the one inside it)",
        round_to(lowest, 4)
    );
    let mut labelled = false;
    for line in &lines {
        for string in line.geometry() {
            let points: Vec<(f64, f64)> = string.coords().map(|c| (c.x, c.y)).collect();
            let series = chart
                .draw_series(std::iter::once(PathElement::new(points, LEVEL_COLOR.stroke_width(1))))
                .map_err(|e| drawing(&e))?;
            if !labelled {
                series.label(level_label.as_str()).legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], LEVEL_COLOR.stroke_width(1))
                });
                labelled = true;
            }
        }
    }
    for (k, track) in tracks.iter().enumerate() {
        let color = COLORS[k % COLORS.len()];
        let points: Vec<(f64, f64)> =
            track.w.iter().copied().zip(track.b.iter().copied()).collect();
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(|e| drawing(&e))?
            .label(track.label.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    for (k, arrow) in arrows.iter().enumerate() {
        let color = COLORS[(tracks.len() + k) % COLORS.len()];
        let (w0, b0) = arrow.from;
        let (w1, b1) = (w0 + arrow.by.0, b0 + arrow.by.1);
        // The head: two short strokes back from the tip, at ±25° from the shaft,
        // in screen proportions (the axes have different units).
        let (sx, sy) = (w_range.1 - w_range.0, b_range.1 - b_range.0);
        let (ux, uy) = (arrow.by.0 / sx, arrow.by.1 / sy);
        let length = (ux * ux + uy * uy).sqrt();
        let head = |turn: f64| {
            let (c, s) = (turn.cos(), turn.sin());
            let (hx, hy) = (-(ux * c - uy * s) / length * 0.03, -(ux * s + uy * c) / length * 0.03);
            (w1 + hx * sx, b1 + hy * sy)
        };
        let angle = 25f64.to_radians();
        let strokes = [vec![(w0, b0), (w1, b1)], vec![head(angle), (w1, b1), head(-angle)]];
        chart
            .draw_series(strokes.into_iter().map(|s| PathElement::new(s, color.stroke_width(3))))
            .map_err(|e| drawing(&e))?
            .label(arrow.label.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(3))
            });
    }
    for (k, mark) in marks.iter().enumerate() {
        let style = MARK_COLOR.filled();
        let point = (mark.w, mark.b);
        let series = if k == 0 {
            chart.draw_series(std::iter::once(Circle::new(point, 5, style)))
        } else {
            chart.draw_series(std::iter::once(Cross::new(point, 6, MARK_COLOR.stroke_width(3))))
        }
        .map_err(|e| drawing(&e))?;
        if k == 0 {
            series
                .label(mark.label.as_str())
                .legend(move |(x, y)| Circle::new((x + 10, y), 4, style));
        } else {
            series
                .label(mark.label.as_str())
                .legend(|(x, y)| Cross::new((x + 10, y), 5, MARK_COLOR.stroke_width(2)));
        }
    }
    finish(&mut chart, &root, SeriesLabelPosition::LowerRight)
}

/// A chart of this module, on `root`: one pair of linear axes, in the style
/// of `support::plot::chart` (title, margins, tidy tick labels, a light grid).
fn axes<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    title: &str,
    (x, y): (std::ops::Range<f64>, std::ops::Range<f64>),
    (x_desc, y_desc): (&str, &str),
) -> Result<ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>> {
    let drawing = |e: &dyn std::fmt::Display| anyhow::anyhow!("drawing \"{title}\": {e}");
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(64)
        .build_cartesian_2d(x, y)
        .map_err(|e| drawing(&e))?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&|v: &f64| tidy(*v))
        .y_label_formatter(&|v: &f64| tidy(*v))
        .light_line_style(RGBColor(240, 240, 240))
        .draw()
        .map_err(|e| drawing(&e))?;
    Ok(chart)
}

/// Draws the legend at `position` and writes the file.
fn finish<'a, 'b: 'a>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    root: &DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    position: SeriesLabelPosition,
) -> Result<()> {
    let drawing = |e: &dyn std::fmt::Display| anyhow::anyhow!("drawing the legend: {e}");
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(|e| drawing(&e))?;
    root.present().map_err(|e| drawing(&e))?;
    Ok(())
}

/// The marks every surface figure shows: the untrained start and the
/// least-squares line of the training set (exercise 6's reference), where
/// every path is headed.
pub(super) fn start_and_best(train: &Dataset) -> Result<Vec<Mark>> {
    let start = solution_04::Params::UNTRAINED;
    let best = solution_06::fit_line(&train.x, &train.y)?;
    Ok(vec![
        Mark {
            label: format!("the start: w = {}, b = {}", start.w, start.b),
            w: start.w,
            b: start.b,
        },
        Mark {
            label: format!(
                "the least-squares line: w = {}, b = {}",
                round_to(best.w, 3),
                round_to(best.b, 3)
            ),
            w: best.w,
            b: best.b,
        },
    ])
}

/// The window of the chapters' surface figures: wide enough for every path.
pub(super) const WINDOW: ((f64, f64), (f64, f64)) = ((-1.5, 3.5), (-0.5, 3.0));

/// Chapter 3: the cost surface of the lecture's training data, with the
/// downhill direction −∇J at the untrained start: across the contour lines,
/// not towards the bottom of the bowl.
pub(super) fn exercise_03_surface(_root: &Path, path: &Path) -> Result<()> {
    let split = solution_04::lecture_split()?;
    let start = solution_04::Params::UNTRAINED;
    let g = solution_03::mse_gradient(start.w, start.b, &split.train.x, &split.train.y)?;
    // −∇J scaled by 0.25, the length of one step at the learning rate 0.25.
    let scale = 0.25;
    let arrows = [Arrow {
        label: format!(
            "−∇J at the start = ({}, {}), drawn × {scale}",
            round_to(-g.dw, 3),
            round_to(-g.db, 3)
        ),
        from: (start.w, start.b),
        by: (-g.dw * scale, -g.db * scale),
    }];
    surface_chart(
        path,
        "The cost J(w, b) of the lecture's training data",
        &split.train,
        WINDOW,
        &[],
        &arrows,
        &start_and_best(&split.train)?,
    )
}

/// Every (w, b) that exercise 4's reference `train_with` visits, one point per
/// step, from the untrained start, at the learning rate 0.1.
pub(super) fn exercise_04_track(descent: solution_04::Descent, epochs: usize) -> Result<Track> {
    let split = solution_04::lecture_split()?;
    let settings = solution_04::Settings { descent, epochs, ..solution_04::Settings::lecture() };
    let start = solution_04::Params::UNTRAINED;
    let (mut w, mut b) = (vec![start.w], vec![start.b]);
    solution_04::train_with(start, &split, &settings, &mut std::io::sink(), |params, gradient| {
        let next = solution_04::gradient_step(params, gradient, 0.1);
        w.push(next.w);
        b.push(next.b);
        next
    })?;
    Ok(Track { label: String::new(), w, b })
}

/// Chapter 4: the paths of batch, mini-batch and stochastic descent across
/// the cost surface, every step drawn, 20 epochs at α = 0.1.
pub(super) fn exercise_04_surface(_root: &Path, path: &Path) -> Result<()> {
    let split = solution_04::lecture_split()?;
    let epochs = 20;
    let kinds = [
        ("batch", solution_04::Descent::Batch),
        ("mini-batches of 32", solution_04::Descent::MiniBatch(32)),
        ("stochastic", solution_04::Descent::Stochastic),
    ];
    let mut tracks = Vec::new();
    for (name, descent) in kinds {
        let mut track = exercise_04_track(descent, epochs)?;
        let end = (track.w[track.w.len() - 1], track.b[track.b.len() - 1]);
        track.label = format!(
            "{name}: {} steps, ends at ({}, {})",
            track.w.len() - 1,
            round_to(end.0, 2),
            round_to(end.1, 2)
        );
        tracks.push(track);
    }
    surface_chart(
        path,
        "Three kinds of descent on the cost surface (α = 0.1, 20 epochs)",
        &split.train,
        WINDOW,
        &tracks,
        &[],
        &start_and_best(&split.train)?,
    )
}

/// Chapter 5: the paths of SGD, momentum and Adam (batch descent, learning
/// rate 0.1, 60 epochs) across the cost surface.
pub(super) fn exercise_05_paths(_root: &Path, path: &Path) -> Result<()> {
    let split = solution_05::lecture_split()?;
    let epochs = 60;
    let lineup = exercise_05_lineup();
    let mut tracks = Vec::new();
    for (name, config) in [&lineup[0], &lineup[1], &lineup[3]] {
        let mut track = Track { label: String::new(), w: Vec::new(), b: Vec::new() };
        for e in 0..=epochs {
            let params = exercise_05_run(config, e)?.params;
            track.w.push(params.w);
            track.b.push(params.b);
        }
        track.label = format!(
            "{name}: ends at ({}, {})",
            round_to(track.w[epochs], 2),
            round_to(track.b[epochs], 2)
        );
        tracks.push(track);
    }
    surface_chart(
        path,
        "Where three optimizers take the line (lr 0.1, 60 epochs)",
        &split.train,
        WINDOW,
        &tracks,
        &[],
        &start_and_best(&split.train)?,
    )
}

/// Chapter 4, the lecture's "convergence of regression": the fitted line of
/// batch descent (α = 0.1) after 0, 1, 2, 5, 10 and 50 epochs over the
/// training points, from light (early) to dark (late).
pub(super) fn exercise_04_convergence(_root: &Path, path: &Path) -> Result<()> {
    let drawing = |e: &dyn std::fmt::Display| anyhow::anyhow!("drawing {}: {e}", path.display());
    let split = solution_04::lecture_split()?;
    let epochs = [0, 1, 2, 5, 10, 50];
    let root = SVGBackend::new(path, (640, 420)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| drawing(&e))?;
    let (y_lo, y_hi) = span(&split.train.y);
    let mut chart = axes(
        &root,
        "The line epoch by epoch (batch descent, α = 0.1)",
        (-0.05..1.05, (y_lo.min(-0.3) - 0.1)..(y_hi + 0.1)),
        ("x", "y"),
    )?;
    let gray = RGBColor(150, 150, 150);
    let points = split.train.x.iter().copied().zip(split.train.y.iter().copied());
    chart
        .draw_series(points.map(|p| Circle::new(p, 3, gray.mix(0.8).filled())))
        .map_err(|e| drawing(&e))?
        .label("training (80 points)")
        .legend(move |(x, y)| Circle::new((x + 10, y), 4, gray.filled()));
    for (k, &e) in epochs.iter().enumerate() {
        let params = lecture_run(0.1, solution_04::Descent::Batch, e)?.params;
        // Light blue early, dark blue late.
        let t = k as f64 / (epochs.len() - 1) as f64;
        let shade = |light: f64, dark: f64| (light + (dark - light) * t).round() as u8;
        let color = RGBColor(shade(158.0, 8.0), shade(202.0, 48.0), shade(225.0, 107.0));
        let label = format!(
            "after {e} epochs: ŷ = {}·x + {}",
            round_to(params.w, 3),
            round_to(params.b, 3)
        );
        let line: Vec<(f64, f64)> =
            [0.0, 1.0].iter().map(|&x| (x, params.w * x + params.b)).collect();
        chart
            .draw_series(LineSeries::new(line, color.stroke_width(2)))
            .map_err(|e| drawing(&e))?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    finish(&mut chart, &root, SeriesLabelPosition::UpperLeft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_level_is_twice_as_far_above_the_lowest_as_the_one_inside_it() {
        let l = levels(1.0, 1.1);
        assert_eq!(l, vec![1.01, 1.02, 1.04, 1.08]);
        assert!(levels(1.0, 1.005).is_empty());
    }
}
