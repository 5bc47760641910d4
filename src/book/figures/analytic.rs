//! Figures of exercise 6: the analytic solution beside gradient descent,
//! and the solvers' accuracy.

use super::*;

// ---------------------------------------------------------------------------
// Exercise 6: the analytic solution

/// Epochs of gradient descent in chapter 6's comparison with the normal
/// equations (the same run as the test `gradient_descent_ends_where_fit_line_jumps`).
pub(super) const HOUSE_DESCENT_EPOCHS: usize = 5000;

/// Where exercise 4's reference `train` ends on the houses: batch descent
/// from the untrained model at the lecture's learning rate, for `epochs`
/// epochs with the stopping rule off, on the sizes in thousands of square
/// feet (in square feet the bowl is so narrow that it would take millions
/// of epochs). The line is returned in square feet again: w / 1000, b.
pub(super) fn house_descent(data: &Dataset, epochs: usize) -> Result<solution_04::Params> {
    let houses = Dataset { x: data.x.iter().map(|x| x / 1000.0).collect(), y: data.y.clone() };
    let split = solution_01::Split { train: houses.clone(), validation: houses };
    let settings = solution_04::Settings {
        epochs,
        descent: solution_04::Descent::Batch,
        stop_below: 0.0,
        ..solution_04::Settings::lecture()
    };
    let run = solution_04::train(
        solution_04::Params::UNTRAINED,
        &split,
        solution_04::LEARNING_RATE,
        &settings,
        &mut std::io::sink(),
    )?;
    Ok(solution_04::Params { w: run.params.w / 1000.0, b: run.params.b })
}

/// `ŷ = w·x − |b|` with w to five decimals and b to three.
pub(super) fn line_formula(w: f64, b: f64) -> String {
    let sign = if b < 0.0 { '−' } else { '+' };
    format!("ŷ = {w:.5}·x {sign} {:.3}", b.abs())
}

/// The houses with the two best lines that the normal equations give in one
/// step: with the column of ones (a bias), and without it (through the
/// origin); and, as markers every 100 square feet, the line where
/// [`HOUSE_DESCENT_EPOCHS`] epochs of gradient descent end, on top of the first. The x axis starts at 0, so
/// that both intercepts show.
pub(super) fn exercise_06_houses(root: &Path, path: &Path) -> Result<()> {
    let data = houses(root)?;
    let line = solution_06::fit_line(&data.x, &data.y)?;
    let slope = solution_06::fit_through_origin(&data.x, &data.y)?;
    let descent = house_descent(&data, HOUSE_DESCENT_EPOCHS)?;
    let line_x = [0.0, 1300.0];
    let best_y = solution_02::predict_all(line.w, line.b, &line_x);
    let origin_y = solution_02::predict_all(slope, 0.0, &line_x);
    // Halfway between the hundreds, so that no marker sits beside a house.
    let marker_x: Vec<f64> = (0..13).map(|i| 50.0 + 100.0 * f64::from(i)).collect();
    let descent_y = solution_02::predict_all(descent.w, descent.b, &marker_x);
    let best = format!("normal equations, with the ones: {}", line_formula(line.w, line.b));
    let descended = format!(
        "{HOUSE_DESCENT_EPOCHS} epochs of gradient descent, α = {}: {}",
        solution_04::LEARNING_RATE,
        line_formula(descent.w, descent.b)
    );
    let origin = format!("without the ones, through the origin: ŷ = {slope:.5}·x");
    chart(
        path,
        Labels {
            title: "The least-squares lines through the houses",
            x: "size (sq ft)",
            y: "price (lakh)",
        },
        Scale::Linear,
        &[
            Series::Points { label: "houses", x: &data.x, y: &data.y },
            Series::Line { label: &best, x: &line_x, y: &best_y },
            Series::Points { label: &descended, x: &marker_x, y: &descent_y },
            Series::Line { label: &origin, x: &line_x, y: &origin_y },
        ],
    )?;
    Ok(())
}

/// The table of correct digits per method on NIST's eleven data sets, as a
/// Markdown file that chapter 6 includes (computed by the reference solution,
/// so the book's numbers are the code's).
pub(super) fn exercise_06_accuracy(_root: &Path, path: &Path) -> Result<()> {
    let rows = solution_06::accuracy::table()?;
    std::fs::write(path, solution_06::accuracy::markdown(&rows))
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
