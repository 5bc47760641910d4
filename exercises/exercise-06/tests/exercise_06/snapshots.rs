//! Snapshots: what your code produces, compared with `tests/snapshots/`.

use exercise_06::Solver;
use nalgebra::{DMatrix, DVector};
use support::{call, fail};

use crate::*;

use support::fixed;

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

#[test]
fn snapshot_of_the_house_fit() {
    let sizes = DMatrix::from_column_slice(7, 1, &HOUSE_SIZES);
    let y = house_prices();
    let x = call("add_intercept(&sizes) for the house table", ADD_INTERCEPT, || {
        exercise_06::add_intercept(&sizes)
    });
    let (xtx, xty) = call("normal_equations(&x, &y) for the house table", NORMAL_EQUATIONS, || {
        exercise_06::normal_equations(&x, &y)
    });
    let mut out = String::from(
        "the house table: size (sq ft) → price (lakh)\n\ndesign matrix X = add_intercept(sizes):\n",
    );
    out.push_str(&matrix_lines(&x, 0, "  "));
    out.push_str("\nXᵀX:\n");
    out.push_str(&matrix_lines(&xtx, 0, "  "));
    out.push_str("Xᵀy:\n");
    out.push_str(&matrix_lines(&DMatrix::from_column_slice(xty.len(), 1, xty.as_slice()), 0, "  "));
    out.push_str("\ncoefficients [b, w]:\n");
    let show = |w: Option<DVector<f64>>| match w {
        Some(w) => w.iter().map(|v| fixed(*v, 10)).collect::<Vec<_>>().join(", "),
        None => "None".to_string(),
    };
    let normal = call("solve_normal_equations(&x, &y) for the house table", SOLVE_NORMAL, || {
        exercise_06::solve_normal_equations(&x, &y)
    });
    out.push_str(&format!("  solve_normal_equations  {}\n", show(normal)));
    let qr =
        call("solve_qr(&x, &y) for the house table", SOLVE_QR, || exercise_06::solve_qr(&x, &y));
    out.push_str(&format!("  solve_qr                {}\n", show(qr)));
    for solver in Solver::ALL {
        let text = format!("least_squares(&x, &y, Solver::{solver:?}) for the house table");
        let fit = call(&text, PIPELINE, || exercise_06::least_squares(&x, &y, solver));
        let fit = fit.unwrap_or_else(|e| fail(&text, format!("Err({e:?})"), "Ok(a fit)", PIPELINE));
        out.push_str(&format!(
            "  least_squares {:<9} {}   κ = {:.5e}\n",
            format!("{solver:?}"),
            show(Some(fit.coefficients)),
            fit.condition
        ));
    }
    let line = call("fit_line(sizes, prices)", FIT_LINE, || {
        exercise_06::fit_line(&HOUSE_SIZES, &HOUSE_PRICES)
    })
    .unwrap_or_else(|e| {
        fail("fit_line(sizes, prices)", format!("Err({e:?})"), "Ok(a line)", FIT_LINE)
    });
    let sign = if line.b < 0.0 { "−" } else { "+" };
    out.push_str(&format!(
        "\nfit_line:           ŷ = {}·x {sign} {}\n",
        fixed(line.w, 10),
        fixed(line.b.abs(), 10)
    ));
    let w = call("fit_through_origin(sizes, prices)", THROUGH_ORIGIN, || {
        exercise_06::fit_through_origin(&HOUSE_SIZES, &HOUSE_PRICES)
    })
    .unwrap_or_else(|e| {
        fail(
            "fit_through_origin(sizes, prices)",
            format!("Err({e:?})"),
            "Ok(a weight)",
            THROUGH_ORIGIN,
        )
    });
    out.push_str(&format!("fit_through_origin: ŷ = {}·x\n", fixed(w, 10)));
    insta::with_settings!({
        description => "Your design matrix, normal equations and fits for the house table (chapter 6 works them by hand). \
            Every solver must give the same line, w = 143/6900 and b = −347/69; κ is the condition number of the column-scaled X. \
            A '-' line is the expected value, a '+' line is yours: the first line that differs names the function to fix.",
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("house_fit", out);
    });
}

#[test]
fn snapshot_of_a_polynomial_design_matrix() {
    let x = [-2.0, -1.0, 0.0, 0.5, 3.0];
    let features = call("polynomial_features(&[-2.0, -1.0, 0.0, 0.5, 3.0], 4)", POLYNOMIAL, || {
        exercise_06::polynomial_features(&x, 4)
    });
    let design =
        call("add_intercept(&features)", ADD_INTERCEPT, || exercise_06::add_intercept(&features));
    let mut out =
        String::from("add_intercept(polynomial_features(x, 4)): columns 1, x, x², x³, x⁴\n");
    out.push_str(&matrix_lines(&design, 4, ""));
    insta::with_settings!({
        description => "Your design matrix of a polynomial of degree 4 for x = −2, −1, 0, 0.5, 3: the column of ones, then x, x², x³, x⁴. \
            A '-' line is the expected value, a '+' line is yours.",
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("polynomial_design_matrix", out);
    });
}

#[test]
fn snapshot_of_the_errors_least_squares_reports() {
    let y4 = vector(&[1.0, 2.0, 3.0, 4.0]);
    let filip = nist("Filip");
    let cases: Vec<(&str, DMatrix<f64>, DVector<f64>, Solver)> = vec![
        (
            "3 rows, 4 targets",
            matrix(&[&[1.0, 2.0], &[1.0, 3.0], &[1.0, 5.0]]),
            y4.clone(),
            Solver::Qr,
        ),
        ("no columns", DMatrix::zeros(4, 0), y4.clone(), Solver::Qr),
        (
            "2 rows, 3 columns",
            matrix(&[&[1.0, 2.0, 4.0], &[1.0, 3.0, 9.0]]),
            vector(&[1.0, 2.0]),
            Solver::Qr,
        ),
        (
            "a NaN in x",
            matrix(&[&[1.0, 2.0], &[1.0, f64::NAN], &[1.0, 5.0], &[1.0, 7.0]]),
            y4.clone(),
            Solver::Qr,
        ),
        (
            "an infinity in y",
            matrix(&[&[1.0, 2.0], &[1.0, 3.0], &[1.0, 5.0], &[1.0, 7.0]]),
            vector(&[1.0, 2.0, f64::INFINITY, 4.0]),
            Solver::Qr,
        ),
        (
            "a repeated column",
            matrix(&[&[1.0, 2.0, 2.0], &[1.0, 3.0, 3.0], &[1.0, 5.0, 5.0], &[1.0, 7.0, 7.0]]),
            y4.clone(),
            Solver::Qr,
        ),
        (
            "a constant feature next to the ones",
            matrix(&[&[1.0, 3.7], &[1.0, 3.7], &[1.0, 3.7], &[1.0, 3.7]]),
            y4.clone(),
            Solver::Qr,
        ),
        (
            "a column of zeros",
            matrix(&[&[1.0, 0.0], &[1.0, 0.0], &[1.0, 0.0], &[1.0, 0.0]]),
            y4.clone(),
            Solver::Qr,
        ),
        (
            "a feature made of two others",
            matrix(&[&[1.0, 2.0, 0.5], &[1.0, 3.0, -1.0], &[1.0, 5.0, -4.0], &[1.0, 7.0, -7.0]]),
            y4.clone(),
            Solver::Qr,
        ),
        (
            "NIST's Filip, with the normal equations",
            filip.design_matrix(),
            filip.y.clone(),
            Solver::Normal,
        ),
    ];
    let mut out = String::new();
    for (what, x, y, solver) in cases {
        let text = format!("least_squares(&x, &y, Solver::{solver:?}) with {what}");
        let got = call(&text, PIPELINE, || exercise_06::least_squares(&x, &y, solver));
        let line = match got {
            Ok(fit) => format!("Ok({})", show_vector(&fit.coefficients)),
            Err(e) => format!("Err: {e}"),
        };
        out.push_str(&format!("{what}:\n  {line}\n"));
    }
    insta::with_settings!({
        description => "What your least_squares reports for ten problems without a single answer (or, for Filip, without an accurate one with the normal equations). \
            Every one must be an Err whose message names the cause. \
            A '-' line is the expected value, a '+' line is yours.",
        omit_expression => true,
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("errors", out);
    });
}
