//! Properties that hold for any data, checked on 64 random cases each.

use exercise_07::Scaler;
use proptest::collection::vec;
use support::{call, explain};

use crate::*;

/// Examples of 1 to 4 features on wildly different scales (a column of
/// column j is drawn in ±10^(j·2)), 2 to 12 rows, a model and targets.
fn problems() -> impl Strategy<Value = (DMatrix<f64>, Linear, DVector<f64>)> {
    (1usize..=4, 2usize..=12)
        .prop_flat_map(|(d, n)| {
            (
                Just((n, d)),
                vec(-1.0..1.0f64, n * d),
                vec(-5.0..5.0f64, d),
                -5.0..5.0f64,
                vec(-100.0..100.0f64, n),
            )
        })
        .prop_map(|((n, d), x, w, b, y)| {
            let x = DMatrix::from_fn(n, d, |i, j| x[i * d + j] * 10f64.powi(2 * j as i32));
            (x, model(&w, b), DVector::from_vec(y))
        })
}

/// Features that vary in every column (and so have a scale of their own).
fn varying() -> impl Strategy<Value = (DMatrix<f64>, Linear, DVector<f64>)> {
    problems().prop_filter("every column varies", |(x, _, _)| {
        x.column_iter().all(|c| c.max() - c.min() > 1e-3 * c.amax().max(1.0))
    })
}

fn describe(x: &DMatrix<f64>) -> String {
    show_matrix(x)
}

/// The learner's scaler of `x`, the failure as a message.
fn fitted(x: &DMatrix<f64>) -> Result<Scaler, String> {
    let text = format!("Scaler::fit(&{})", describe(x));
    call(&text, FIT, || Scaler::fit(x))
        .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a scaler)", FIT))
}

#[test]
fn the_matrix_gradient_equals_exercise_03s_loops() {
    for_all(problems(), |(x, m, y)| {
        let rows: Vec<Vec<f64>> = x.row_iter().map(|r| r.iter().copied().collect()).collect();
        let ys: Vec<f64> = y.iter().copied().collect();
        let loops = solution_03::mse_gradient_features(m.w.as_slice(), m.b, &rows, &ys)
            .expect("exercise 03's reference accepts the case");
        let text =
            format!("gradient(&{}, &{}, &{})", describe(&x), show_model(&m), show_vector(&y));
        let g = call(&text, GRADIENT, || exercise_07::gradient(&x, &m, &y))
            .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a gradient)", GRADIENT))?;
        let expected = vector(&loops.dw);
        if same_vector(&g.w, &expected) && close(g.b, loops.db) {
            return Ok(());
        }
        let hint = if same_vector(&g.w, &(&expected * 0.5)) {
            MISSING_2
        } else if same_vector(&g.w, &-&expected) {
            WRONG_SIGN
        } else if close(g.b, loops.db * y.len() as f64) {
            BIAS_SUM
        } else {
            GRADIENT
        };
        Err(explain(
            &text,
            format!("Gradient {{ w: {}, b: {:?} }}", show_vector(&g.w), g.b),
            format!(
                "Gradient {{ w: {}, b: {:?} }}, exercise 03's loops",
                show_vector(&expected),
                loops.db
            ),
            hint,
        ))
    });
}

#[test]
fn standardised_columns_have_mean_0_and_standard_deviation_1() {
    for_all(varying(), |(x, _, _)| {
        let s = fitted(&x)?;
        let text = format!("Scaler::fit(&x)?.transform(&x) with x = {}", describe(&x));
        let z = call(&text, TRANSFORM, || s.transform(&x))
            .map_err(|e| explain(&text, format!("Err({e:?})"), "Ok(a matrix)", TRANSFORM))?;
        let n = z.nrows() as f64;
        for (j, column) in z.column_iter().enumerate() {
            let mean = column.sum() / n;
            let std = (column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
            if mean.abs() > 1e-9 || (std - 1.0).abs() > 1e-9 {
                let sample =
                    (column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
                let hint = if (sample - 1.0).abs() < 1e-9 {
                    SAMPLE_STD
                } else if mean.abs() > 1e-9 && (std - 1.0).abs() < 1e-9 {
                    NOT_CENTRED
                } else {
                    TRANSFORM
                };
                return Err(explain(
                    &text,
                    format!("column {j} with mean {mean:e} and population std {std}"),
                    "every column with mean 0 and population standard deviation 1",
                    hint,
                ));
            }
        }
        Ok(())
    });
}

#[test]
fn the_model_mapped_back_predicts_the_same_prices() {
    for_all(varying(), |(x, m, _)| {
        let s = reference::Scaler::fit(&x).expect("the reference fits the case");
        let scaler = Scaler { mean: s.mean.clone(), scale: s.scale.clone() };
        let text = format!(
            "scaler.to_original(&{}) with the scaler of x = {}",
            show_model(&m),
            describe(&x)
        );
        let original = call(&text, TO_ORIGINAL, || scaler.to_original(&m));
        let on_raw = reference::predict(&x, &to_reference(&original));
        let on_scaled = reference::predict(&s.transform(&x).unwrap(), &to_reference(&m));
        let tol = 1e-9 * on_scaled.amax().max(m.w.amax()).max(1.0);
        if (&on_raw - &on_scaled).amax() <= tol {
            return Ok(());
        }
        Err(explain(
            &text,
            format!(
                "{}, which predicts {} on the raw x",
                show_model(&original),
                show_vector(&on_raw)
            ),
            format!(
                "a model that predicts {} on the raw x, as the scaled model does on the scaled x",
                show_vector(&on_scaled)
            ),
            TO_ORIGINAL,
        ))
    });
}

#[test]
fn standardising_ignores_the_units() {
    // Square feet or square metres, years or months: the same features.
    for_all(varying(), |(x, _, _)| {
        let mut other = x.clone();
        for (j, mut column) in other.column_iter_mut().enumerate() {
            column *= [0.0929, 12.0, 1000.0, 0.001][j];
        }
        let s = fitted(&x)?;
        let t = fitted(&other)?;
        let text = format!("transform in other units, x = {}", describe(&x));
        let a = call(&text, TRANSFORM, || s.transform(&x));
        let b = call(&text, TRANSFORM, || t.transform(&other));
        match (a, b) {
            (Ok(a), Ok(b)) if (&a - &b).amax() < 1e-9 => Ok(()),
            (Ok(a), Ok(b)) => Err(explain(
                &text,
                format!("{} in the original units, {} in others", show_matrix(&a), show_matrix(&b)),
                "the same standardised matrix in any units",
                TRANSFORM,
            )),
            (a, b) => Err(explain(&text, format!("{a:?} and {b:?}"), "two matrices", TRANSFORM)),
        }
    });
}

#[test]
fn the_scaler_agrees_with_the_reference() {
    for_all(problems(), |(x, _, _)| {
        let s = fitted(&x)?;
        let expected = reference::Scaler::fit(&x).expect("the reference fits the case");
        if same_vector(&s.mean, &expected.mean) && same_vector(&s.scale, &expected.scale) {
            return Ok(());
        }
        let n = x.nrows() as f64;
        let sample = expected.scale.map(|v| v * (n / (n - 1.0)).sqrt());
        let hint = if same_vector(&s.scale, &sample) { SAMPLE_STD } else { FIT };
        Err(explain(
            &format!("Scaler::fit(&{})", describe(&x)),
            format!(
                "Scaler {{ mean: {}, scale: {} }}",
                show_vector(&s.mean),
                show_vector(&s.scale)
            ),
            format!(
                "Scaler {{ mean: {}, scale: {} }}",
                show_vector(&expected.mean),
                show_vector(&expected.scale)
            ),
            hint,
        ))
    });
}
