//! The course's figures, written as SVG files.
//!
//! One function, [`chart`], draws any mix of point clouds and lines on one
//! pair of axes, with a title, axis labels and a legend. SVG text is drawn by
//! the viewer, so no font library is needed, and the same data always gives
//! the same file (the book's figures are checked against a fresh rendering).

use std::path::Path;

use plotters::prelude::*;

/// One thing drawn on a chart.
#[derive(Clone, Debug)]
pub enum Series<'a> {
    /// A scatter of points, one circle each.
    Points { label: &'a str, x: &'a [f64], y: &'a [f64] },
    /// A polyline through the points, in the order given.
    Line { label: &'a str, x: &'a [f64], y: &'a [f64] },
    /// Vertical bars from 0 up to each y, centred on each x, each `width` wide
    /// (a histogram).
    Bars { label: &'a str, x: &'a [f64], y: &'a [f64], width: f64 },
}

impl Series<'_> {
    fn xy(&self) -> (&[f64], &[f64]) {
        match self {
            Series::Points { x, y, .. } | Series::Line { x, y, .. } | Series::Bars { x, y, .. } => {
                (x, y)
            }
        }
    }
}

/// Title and axis labels of a chart.
#[derive(Clone, Copy, Debug)]
pub struct Labels<'a> {
    pub title: &'a str,
    pub x: &'a str,
    pub y: &'a str,
}

/// Whether the y axis is linear or logarithmic (loss curves read better on a
/// log scale).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Linear,
    Log,
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("series \"{label}\" has {x} x values but {y} y values; give one y for every x")]
    LengthMismatch { label: String, x: usize, y: usize },
    #[error("nothing to plot: every series is empty or has no finite point")]
    NoFinitePoints,
    #[error("a log-scale axis needs positive values, and series \"{0}\" has a value <= 0")]
    NonPositiveOnLogScale(String),
    #[error("could not draw or write {path}: {message}")]
    Drawing { path: String, message: String },
}

const COLORS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

/// Draws `series` on one pair of axes and writes an SVG file of 640 × 420
/// pixels to `path`. Points that are not finite are left out.
pub fn chart(
    path: &Path,
    labels: Labels<'_>,
    scale: Scale,
    series: &[Series<'_>],
) -> Result<(), PlotError> {
    let drawing = |e: &dyn std::fmt::Display| PlotError::Drawing {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let mut x_range = (f64::INFINITY, f64::NEG_INFINITY);
    let mut y_range = (f64::INFINITY, f64::NEG_INFINITY);
    for s in series {
        let (x, y) = s.xy();
        let label = match s {
            Series::Points { label, .. }
            | Series::Line { label, .. }
            | Series::Bars { label, .. } => *label,
        };
        if let Series::Bars { width, .. } = s {
            if scale == Scale::Log {
                return Err(PlotError::NonPositiveOnLogScale(label.to_string()));
            }
            // Bars start at 0 and are `width` wide: widen the ranges to hold them.
            for &xi in x.iter().filter(|v| v.is_finite()) {
                x_range = (x_range.0.min(xi - width / 2.0), x_range.1.max(xi + width / 2.0));
            }
            if !x.is_empty() {
                y_range = (y_range.0.min(0.0), y_range.1.max(0.0));
            }
        }
        if x.len() != y.len() {
            return Err(PlotError::LengthMismatch {
                label: label.to_string(),
                x: x.len(),
                y: y.len(),
            });
        }
        for (&xi, &yi) in x.iter().zip(y) {
            if xi.is_finite() && yi.is_finite() {
                if scale == Scale::Log && yi <= 0.0 {
                    return Err(PlotError::NonPositiveOnLogScale(label.to_string()));
                }
                x_range = (x_range.0.min(xi), x_range.1.max(xi));
                y_range = (y_range.0.min(yi), y_range.1.max(yi));
            }
        }
    }
    if x_range.0 > x_range.1 {
        return Err(PlotError::NoFinitePoints);
    }
    let pad = |(lo, hi): (f64, f64)| {
        let margin = if hi > lo { (hi - lo) * 0.05 } else { lo.abs().max(1.0) * 0.05 };
        (lo - margin, hi + margin)
    };
    let (x0, x1) = pad(x_range);

    let root = SVGBackend::new(path, (640, 420)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| drawing(&e))?;
    let mut builder = ChartBuilder::on(&root);
    builder
        .caption(labels.title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(64);

    macro_rules! draw_all {
        ($chart:expr) => {{
            let mut chart = $chart;
            chart
                .configure_mesh()
                .x_desc(labels.x)
                .y_desc(labels.y)
                .x_label_formatter(&|v: &f64| tidy(*v))
                .y_label_formatter(&|v: &f64| tidy(*v))
                .light_line_style(RGBColor(235, 235, 235))
                .draw()
                .map_err(|e| drawing(&e))?;
            for (i, s) in series.iter().enumerate() {
                let color = COLORS[i % COLORS.len()];
                match *s {
                    Series::Points { label, x, y } => {
                        let points = finite(x, y);
                        chart
                            .draw_series(
                                points
                                    .into_iter()
                                    .map(|p| Circle::new(p, 3, color.mix(0.75).filled())),
                            )
                            .map_err(|e| drawing(&e))?
                            .label(label)
                            .legend(move |(lx, ly)| Circle::new((lx + 10, ly), 4, color.filled()));
                    }
                    Series::Bars { label, x, y, width } => {
                        let bars = finite(x, y);
                        chart
                            .draw_series(bars.into_iter().map(|(bx, by)| {
                                Rectangle::new(
                                    [(bx - width / 2.0, 0.0), (bx + width / 2.0, by)],
                                    color.mix(0.8).filled(),
                                )
                            }))
                            .map_err(|e| drawing(&e))?
                            .label(label)
                            .legend(move |(lx, ly)| {
                                Rectangle::new(
                                    [(lx + 4, ly - 5), (lx + 16, ly + 5)],
                                    color.filled(),
                                )
                            });
                    }
                    Series::Line { label, x, y } => {
                        chart
                            .draw_series(LineSeries::new(finite(x, y), color.stroke_width(2)))
                            .map_err(|e| drawing(&e))?
                            .label(label)
                            .legend(move |(lx, ly)| {
                                PathElement::new(
                                    vec![(lx, ly), (lx + 20, ly)],
                                    color.stroke_width(2),
                                )
                            });
                    }
                }
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .draw()
                .map_err(|e| drawing(&e))?;
        }};
    }

    match scale {
        Scale::Linear => {
            let (y0, y1) = pad(y_range);
            draw_all!(builder.build_cartesian_2d(x0..x1, y0..y1).map_err(|e| drawing(&e))?);
        }
        Scale::Log => {
            let (y0, y1) = (y_range.0 / 1.5, y_range.1 * 1.5);
            draw_all!(
                builder
                    .build_cartesian_2d(x0..x1, (y0..y1).log_scale())
                    .map_err(|e| drawing(&e))?
            );
        }
    }
    root.present().map_err(|e| drawing(&e))?;
    Ok(())
}

/// A tick label without floating-point noise: three significant digits,
/// `1e-4` style for very small or large numbers.
pub fn tidy(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    // Round to three significant digits first: 9.99999999e-5 is 1e-4.
    let scale = 10f64.powf(v.abs().log10().floor() - 2.0);
    let v = (v / scale).round() * scale;
    let magnitude = v.abs().log10().floor();
    if !(-3.0..5.0).contains(&magnitude) {
        let mantissa = v / 10f64.powf(magnitude);
        let m = format!("{:.2}", mantissa);
        let m = m.trim_end_matches('0').trim_end_matches('.');
        return format!("{m}e{}", magnitude as i32);
    }
    let decimals = (2.0 - magnitude).max(0.0) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

fn finite(x: &[f64], y: &[f64]) -> Vec<(f64, f64)> {
    x.iter().zip(y).map(|(&a, &b)| (a, b)).filter(|(a, b)| a.is_finite() && b.is_finite()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_an_svg_with_title_labels_and_legend() {
        let dir = std::env::temp_dir().join(format!("support-plot-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.svg");
        let x = [1.0, 2.0, 3.0];
        let y = [2.0, 4.1, 5.9];
        chart(
            &path,
            Labels { title: "House prices", x: "size (sq ft)", y: "price (lakh)" },
            Scale::Linear,
            &[
                Series::Points { label: "data", x: &x, y: &y },
                Series::Line { label: "fit", x: &x, y: &x },
            ],
        )
        .unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        for text in
            ["<svg", "House prices", "size (sq ft)", "price (lakh)", "data", "fit", "<circle"]
        {
            assert!(svg.contains(text), "missing {text}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn tick_labels_have_no_floating_point_noise() {
        assert_eq!(tidy(9.99999999e-5), "1e-4");
        assert_eq!(tidy(0.000123), "1.23e-4");
        assert_eq!(tidy(0.02), "0.02");
        assert_eq!(tidy(12.5), "12.5");
        assert_eq!(tidy(319.04), "319");
        assert_eq!(tidy(250000.0), "2.5e5");
        assert_eq!(tidy(-0.5), "-0.5");
        assert_eq!(tidy(0.0), "0");
    }

    #[test]
    fn mismatched_lengths_are_an_error_not_a_panic() {
        let err = chart(
            Path::new("/nonexistent/x.svg"),
            Labels { title: "t", x: "x", y: "y" },
            Scale::Linear,
            &[Series::Points { label: "data", x: &[1.0, 2.0], y: &[1.0] }],
        )
        .unwrap_err();
        assert!(matches!(err, PlotError::LengthMismatch { x: 2, y: 1, .. }), "{err}");
    }
}
