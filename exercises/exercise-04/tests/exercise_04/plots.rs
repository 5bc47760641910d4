//! Pictures: the fitted line over the data, and loss curves.

use std::path::Path;

use exercise_04::{Params, PlotError, Settings};
use support::{call, check, fail};

use crate::*;

/// The texts of an SVG file: what sits between `<text …>` and `</text>`.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("</text>")
        .filter_map(|part| part.rfind("<text").map(|at| &part[at..]))
        .filter_map(|tag| tag.find('>').map(|end| tag[end + 1..].trim().to_string()))
        .collect()
}

#[track_caller]
fn written_texts(what: &str, path: &Path, result: Result<(), PlotError>) -> (String, Vec<String>) {
    if let Err(e) = result {
        fail(
            what,
            format!("Err({e})"),
            "Ok(())",
            "draw with support::plot::chart and return what it returns; see 'Pictures' in chapter 4",
        );
    }
    let Ok(svg) = std::fs::read_to_string(path) else {
        fail(
            what,
            "Ok(()), but no file was written",
            format!("an SVG file at {}", path.display()),
            "write the chart to the path you are given; see 'Pictures' in chapter 4",
        )
    };
    let texts = svg_texts(&svg);
    (svg, texts)
}

#[test]
fn plot_fit_draws_both_sets_and_the_line() {
    let path = scratch("fit.svg");
    let _ = std::fs::remove_file(&path);
    let what = "plot_fit(Params { w: 2.0, b: 1.0 }, &three_point_split, \"The true line\", path)";
    let result = call(what, PLOT, || {
        exercise_04::plot_fit(
            Params { w: 2.0, b: 1.0 },
            &three_point_split(),
            "The true line",
            &path,
        )
    });
    let (svg, texts) = written_texts(what, &path, result);
    for (text, meaning) in [
        ("The true line", "the title you are given"),
        ("x", "the x axis label"),
        ("y", "the y axis label"),
        ("training (3 points)", "the legend entry of the training set"),
        ("validation (2 points)", "the legend entry of the validation set"),
        ("line: w = 2.000, b = 1.000", "the legend entry of the line"),
    ] {
        check(
            texts.iter().any(|t| t == text),
            what,
            format!("an SVG whose texts are {texts:?}"),
            format!("the text \"{text}\" ({meaning})"),
            "pass the title and the axis labels x and y in Labels, label the two Series::Points \"training (N points)\" and \"validation (M points)\", and the Series::Line format!(\"line: w = {:.3}, b = {:.3}\", params.w, params.b); see 'Pictures' in chapter 4",
        );
    }
    let circles = svg.matches("<circle").count();
    check(
        circles >= 5,
        what,
        format!("an SVG with {circles} circles"),
        "at least 5 circles, one per example",
        "draw both sets as Series::Points; see 'Pictures' in chapter 4",
    );
    check(
        svg.contains("<polyline"),
        what,
        "an SVG without a line",
        "an SVG with a line (a <polyline>)",
        "draw the line as a Series::Line; see 'Pictures' in chapter 4",
    );
}

#[test]
fn plot_fit_reports_a_path_that_cannot_be_written() {
    let path = Path::new("/this-folder-does-not-exist/fit.svg");
    let what = "plot_fit(Params { w: 2.0, b: 1.0 }, &three_point_split, \"Nowhere\", \"/this-folder-does-not-exist/fit.svg\")";
    let result = call(what, PLOT, || {
        exercise_04::plot_fit(Params { w: 2.0, b: 1.0 }, &three_point_split(), "Nowhere", path)
    });
    check(
        matches!(result, Err(PlotError::Drawing { .. })),
        what,
        format!("{result:?}"),
        "Err(Drawing { .. })",
        "return chart's error instead of unwrapping it; see 'Pictures' in chapter 4",
    );
}

#[test]
fn plot_losses_draws_one_labelled_curve_per_list() {
    let path = scratch("losses.svg");
    let _ = std::fs::remove_file(&path);
    let train = [4.0, 2.0, 1.0, 0.5];
    let validation = [5.0, 3.0, 2.0, 1.5];
    let what = "plot_losses(&[(\"training\", &[4.0, 2.0, 1.0, 0.5]), (\"validation\", &[5.0, 3.0, 2.0, 1.5])], \"Loss per epoch\", path)";
    let result = call(what, PLOT, || {
        exercise_04::plot_losses(
            &[("training", &train), ("validation", &validation)],
            "Loss per epoch",
            &path,
        )
    });
    let (svg, texts) = written_texts(what, &path, result);
    for (text, meaning) in [
        ("Loss per epoch", "the title you are given"),
        ("epoch", "the x axis label"),
        ("loss (MSE)", "the y axis label"),
        ("training", "the legend entry of the first curve"),
        ("validation", "the legend entry of the second curve"),
    ] {
        check(
            texts.iter().any(|t| t == text),
            what,
            format!("an SVG whose texts are {texts:?}"),
            format!("the text \"{text}\" ({meaning})"),
            "pass the title and the axis labels epoch and loss (MSE) in Labels, and give each Series::Line its label; see 'Pictures' in chapter 4",
        );
    }
    let lines = svg.matches("<polyline").count();
    check(
        lines >= 2,
        what,
        format!("an SVG with {lines} lines"),
        "two lines, one per curve",
        "draw each curve as a Series::Line; see 'Pictures' in chapter 4",
    );
}

#[test]
fn plot_losses_uses_a_logarithmic_scale() {
    // On a log scale a loss of 0 has no place: chart refuses it. A linear
    // scale would draw it without a word.
    let path = scratch("zero-loss.svg");
    let what = "plot_losses(&[(\"training\", &[1.0, 0.1, 0.0])], \"A loss of zero\", path)";
    let result = call(what, PLOT, || {
        exercise_04::plot_losses(&[("training", &[1.0, 0.1, 0.0])], "A loss of zero", &path)
    });
    check(
        matches!(result, Err(PlotError::NonPositiveOnLogScale(_))),
        what,
        format!("{result:?}"),
        "Err(NonPositiveOnLogScale(\"training\"))",
        "draw loss curves with Scale::Log, on which a loss that falls by the same factor every epoch is a straight line; see 'Pictures' in chapter 4",
    );
}

#[test]
fn plots_of_the_lecture_run_are_written_for_you_to_look_at() {
    // These pictures are for you: once this test passes, open
    // target/tmp/exercise-04/lecture_fit.svg and lecture_losses.svg in a
    // web browser.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("exercise-04");
    std::fs::create_dir_all(&dir).expect("cargo's scratch folder can be created");
    let fit = dir.join("lecture_fit.svg");
    let losses = dir.join("lecture_losses.svg");
    let what = "train(Params::UNTRAINED, &lecture_split()?, 0.1, &Settings::lecture(), &mut std::io::stdout()), then plot_fit and plot_losses of the run";
    let result = call(what, PLOT, || {
        let split = lecture();
        let run =
            exercise_04::train(UNTRAINED, &split, 0.1, &Settings::lecture(), &mut std::io::sink())?;
        let h = &run.history;
        let a =
            exercise_04::plot_fit(run.params, &split, "The lecture's data after 100 epochs", &fit);
        let b = exercise_04::plot_losses(
            &[("training", &h.train), ("validation", &h.validation)],
            "Loss per epoch",
            &losses,
        );
        Ok::<_, exercise_04::TrainError>((a, b))
    });
    match result {
        Ok((Ok(()), Ok(()))) => {}
        other => fail(what, format!("{other:?}"), "Ok((Ok(()), Ok(())))", PLOT),
    }
}
