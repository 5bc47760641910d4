//! The scatter plot of a split, written as an SVG file.

use std::path::Path;

use exercise_01::{Dataset, PlotError, Recipe, Split};
use support::{call, check, fail};

use crate::{numbered_rows, scratch};

const PLOTTING: &str = "see 'Plotting the data' in chapter 1";

/// The texts of an SVG file: what sits between `<text …>` and `</text>`.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("</text>")
        .filter_map(|part| part.rfind("<text").map(|at| &part[at..]))
        .filter_map(|tag| tag.find('>').map(|end| tag[end + 1..].trim().to_string()))
        .collect()
}

#[test]
fn plot_split_writes_an_svg_with_title_axes_and_legend() {
    let path = scratch("plot_split.svg");
    let _ = std::fs::remove_file(&path);
    let data = numbered_rows(10);
    let parts =
        Split { train: data.rows(&[0, 1, 2, 3, 4, 5, 6, 7]), validation: data.rows(&[8, 9]) };
    let what =
        "plot_split(&split, \"Ten numbered rows\", path) with 8 training and 2 validation rows";
    let result =
        call(what, PLOTTING, || exercise_01::plot_split(&parts, "Ten numbered rows", &path));
    if let Err(e) = result {
        fail(
            what,
            format!("Err({e})"),
            "Ok(())",
            "draw with support::plot::chart and return what it returns; see 'Plotting the data' in chapter 1",
        );
    }
    let Ok(svg) = std::fs::read_to_string(&path) else {
        fail(
            what,
            "Ok(()), but no file was written",
            format!("an SVG file at {}", path.display()),
            "write the chart to the path you are given; see 'Plotting the data' in chapter 1",
        )
    };
    let texts = svg_texts(&svg);
    for (text, meaning) in [
        ("Ten numbered rows", "the title you are given"),
        ("x", "the x axis label"),
        ("y", "the y axis label"),
        ("training (8 points)", "the legend entry of the training set"),
        ("validation (2 points)", "the legend entry of the validation set"),
    ] {
        check(
            texts.iter().any(|t| t == text),
            what,
            format!("an SVG whose texts are {texts:?}"),
            format!("the text \"{text}\" ({meaning})"),
            "pass the title and the axis labels x and y in Labels, and label the two Series::Points \
             \"training (N points)\" and \"validation (M points)\"; see 'Plotting the data' in chapter 1",
        );
    }
    let circles = svg.matches("<circle").count();
    check(
        circles >= 10,
        what,
        format!("an SVG with {circles} circles"),
        "at least 10 circles, one per example",
        "draw both sets as Series::Points, one point per example; see 'Plotting the data' in chapter 1",
    );
}

#[test]
fn plot_split_reports_a_broken_data_set_as_an_error() {
    let broken =
        Split { train: Dataset { x: vec![1.0, 2.0], y: vec![1.0] }, validation: numbered_rows(2) };
    let path = scratch("broken.svg");
    let what =
        "plot_split(&split, \"Broken\", path) with a training set of 2 inputs but 1 response";
    let result = call(what, PLOTTING, || exercise_01::plot_split(&broken, "Broken", &path));
    check(
        matches!(result, Err(PlotError::LengthMismatch { x: 2, y: 1, .. })),
        what,
        format!("{result:?}"),
        "Err(LengthMismatch { x: 2, y: 1, .. })",
        "return chart's error instead of unwrapping it, so a bad data set is an error, not a panic; \
         see 'Plotting the data' in chapter 1",
    );
}

#[test]
fn plot_split_reports_a_path_that_cannot_be_written() {
    let parts = Split { train: numbered_rows(4), validation: numbered_rows(2) };
    let path = Path::new("/this-folder-does-not-exist/plot.svg");
    let what = "plot_split(&split, \"Nowhere\", \"/this-folder-does-not-exist/plot.svg\")";
    let result = call(what, PLOTTING, || exercise_01::plot_split(&parts, "Nowhere", path));
    check(
        matches!(result, Err(PlotError::Drawing { .. })),
        what,
        format!("{result:?}"),
        "Err(Drawing { .. })",
        "return chart's error instead of unwrapping it; see 'Plotting the data' in chapter 1",
    );
}

#[test]
fn plot_of_the_lecture_split_is_written_for_you_to_look_at() {
    // This picture is for you: open target/tmp/exercise-01/lecture_split.svg
    // in a web browser once this test passes.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("exercise-01");
    std::fs::create_dir_all(&dir).expect("cargo's scratch folder can be created");
    let path = dir.join("lecture_split.svg");
    let what = "plot_split(&split(&generate(&Recipe::lecture(), 100, 100), 0.8, 100)?, \"The lecture's data, split 80/20\", path)";
    let result = call(what, PLOTTING, || {
        let data = exercise_01::generate(&Recipe::lecture(), 100, 100);
        exercise_01::split(&data, 0.8, 100)
            .map(|parts| exercise_01::plot_split(&parts, "The lecture's data, split 80/20", &path))
    });
    match result {
        Ok(Ok(())) => {}
        other => fail(what, format!("{other:?}"), "Ok(Ok(()))", PLOTTING),
    }
    let svg = std::fs::read_to_string(&path).unwrap_or_default();
    let texts = svg_texts(&svg);
    check(
        texts.iter().any(|t| t == "training (80 points)")
            && texts.iter().any(|t| t == "validation (20 points)"),
        what,
        format!("an SVG whose texts are {texts:?}"),
        "the legend entries \"training (80 points)\" and \"validation (20 points)\"",
        "label each Series::Points with its set's name and size; see 'Plotting the data' in chapter 1",
    );
}
