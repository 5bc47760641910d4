//! Snapshots: what your code produces, compared with `tests/snapshots/`.

use exercise_07::Scaler;
use support::{call, fixed};

use crate::descent::{SCALED_EPOCHS, SCALED_RATE};
use crate::*;

fn matrix_lines(m: &DMatrix<f64>, decimals: usize, indent: &str) -> String {
    let mut out = String::new();
    for row in m.row_iter() {
        let cells: Vec<String> =
            row.iter().map(|v| format!("{:>14}", fixed(*v, decimals))).collect();
        out.push_str(indent);
        out.push_str(cells.join("").trim_end());
        out.push('\n');
    }
    out
}

fn numbers(v: &DVector<f64>, decimals: usize) -> String {
    v.iter().map(|x| fixed(*x, decimals)).collect::<Vec<_>>().join(", ")
}

#[track_caller]
fn ok<T>(text: &str, got: Result<T, exercise_07::ModelError>, hint: &str) -> T {
    expect_ok(text, got, "Ok(…)", hint)
}

#[test]
fn snapshot_of_the_feature_table() {
    let (x, y) = (table_x(), table_y());
    let mut out = String::from("size, bedrooms -> price (thousand dollars)\n");
    out.push_str(&matrix_lines(&x, 0, "  "));
    let p = call("predict(&x, &guess)", PREDICT, || exercise_07::predict(&x, &guess()));
    out.push_str(&format!("\nw = [0.15, 20], b = 80:\n  ŷ     = [{}]\n", numbers(&p, 4)));
    let mse =
        ok("mse(&x, &guess, &y)", call("mse", MSE, || exercise_07::mse(&x, &guess(), &y)), MSE);
    out.push_str(&format!("  MSE   = {}\n", fixed(mse, 4)));
    let g = call("gradient(&x, &guess, &y)", GRADIENT, || exercise_07::gradient(&x, &guess(), &y));
    let g = ok("gradient(&x, &guess, &y)", g, GRADIENT);
    out.push_str(&format!("  ∇w    = [{}]\n  ∇b    = {}\n", numbers(&g.w, 4), fixed(g.b, 4)));
    let s = ok("Scaler::fit(&x)", call("Scaler::fit(&x)", FIT, || Scaler::fit(&x)), FIT);
    out.push_str(&format!(
        "\nscaler: mean  = [{}]\n        scale = [{}]\n",
        numbers(&s.mean, 6),
        numbers(&s.scale, 6)
    ));
    let z = ok(
        "scaler.transform(&x)",
        call("scaler.transform(&x)", TRANSFORM, || s.transform(&x)),
        TRANSFORM,
    );
    out.push_str("standardised:\n");
    out.push_str(&matrix_lines(&z, 6, "  "));
    let m = call("least_squares_scaled(&x, &y)", LEAST_SQUARES, || {
        exercise_07::least_squares_scaled(&x, &y)
    });
    let m = ok("least_squares_scaled(&x, &y)", m, LEAST_SQUARES);
    out.push_str(&format!("\nleast squares: w = [{}], b = {}\n", numbers(&m.w, 6), fixed(m.b, 6)));
    insta::with_settings!({
        description => "Your linear layer, scaler and least-squares plane on the lecture's table of four houses (size, bedrooms -> price), worked by hand in chapter 7. \
            A '-' line is the expected value, a '+' line is yours: the first line that differs names the function to fix.",
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("feature_table", out);
    });
}

#[test]
fn snapshot_of_raw_and_scaled_descent_on_the_houses() {
    let data = housing();
    let mut out = String::from("the housing data, first 5 of 160 training rows:\n");
    out.push_str("      size_sqft      bedrooms     age_years   distance_km         price\n");
    let head =
        DMatrix::from_fn(5, 5, |i, j| if j < 4 { data.train_x[(i, j)] } else { data.train_y[i] });
    out.push_str(&matrix_lines(&head, 3, ""));
    let split = call("standardise_split(&housing_split())", SPLIT, || {
        exercise_07::standardise_split(&data)
    });
    let (s, scaled, _) = ok("standardise_split(&housing_split())", split, SPLIT);
    out.push_str(&format!(
        "\nscaler: mean  = [{}]\n        scale = [{}]\n",
        numbers(&s.mean, 6),
        numbers(&s.scale, 6)
    ));
    let raw_kappa = call("hessian_condition(&raw)", CONDITION, || {
        exercise_07::hessian_condition(&data.train_x)
    });
    let scaled_kappa =
        call("hessian_condition(&scaled)", CONDITION, || exercise_07::hessian_condition(&scaled));
    out.push_str(&format!(
        "κ of the bowl: raw {:.4e}, standardised {:.4}\n",
        raw_kappa, scaled_kappa
    ));
    let raw = call("descend(&raw, &y, 1e-7, 100)", DESCEND, || {
        exercise_07::descend(&data.train_x, &data.train_y, 1e-7, SCALED_EPOCHS)
    });
    let raw = ok("descend(&raw, &y, 1e-7, 100)", raw, DESCEND);
    let (m, run) = ok(
        "fit_scaled(&raw, &y, 0.5, 100)",
        call("fit_scaled(&raw, &y, 0.5, 100)", FIT_SCALED, || {
            exercise_07::fit_scaled(&data.train_x, &data.train_y, SCALED_RATE, SCALED_EPOCHS)
        }),
        FIT_SCALED,
    );
    out.push_str("\nMSE per epoch   raw, α = 1e-7   standardised, α = 0.5\n");
    for epoch in [0, 1, 2, 5, 10, 20, 50, 100] {
        let at = |l: &[f64]| l.get(epoch).map_or("-".to_string(), |v| fixed(*v, 6));
        out.push_str(&format!("  {epoch:>5}  {:>20}  {:>20}\n", at(&raw.losses), at(&run.losses)));
    }
    let original = call("model.to_original()", TO_ORIGINAL, || m.to_original());
    out.push_str(&format!(
        "\nstandardised model:        w' = [{}], b' = {}\nin the original units:     w  = [{}], b  = {}\n",
        numbers(&m.model.w, 6),
        fixed(m.model.b, 6),
        numbers(&original.w, 6),
        fixed(original.b, 6)
    ));
    insta::with_settings!({
        description => "Your scaler, condition numbers and gradient descent on the course's housing data: on the raw features \
            (square feet next to bedrooms) descent crawls, on standardised ones it reaches the least-squares answer in tens of epochs. \
            A '-' line is the expected value, a '+' line is yours.",
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("housing_descent", out);
    });
}
