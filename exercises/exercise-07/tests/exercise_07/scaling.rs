//! Standardisation: the means and population standard deviations, the
//! scaler fitted on the training rows, a constant column, and the model
//! mapped back to the original units.

use exercise_07::{ModelError, Scaler};
use support::{call, check};

use crate::*;

/// The learner's scaler of the feature table, or a failure that names the call.
fn table_scaler() -> Scaler {
    let x = table_x();
    let text = "Scaler::fit(&x) on the feature table";
    let got = call(text, FIT, || Scaler::fit(&x));
    expect_ok(text, got, "Ok(a scaler)", FIT)
}

fn stds_hint(got: &DVector<f64>) -> &'static str {
    if same_vector(got, &vector(&table_sample_stds())) { SAMPLE_STD } else { STDS }
}

#[test]
fn column_means_of_the_feature_table() {
    let x = table_x();
    let text = format!("column_means(&{})", show_matrix(&x));
    let got = call(&text, MEANS, || exercise_07::column_means(&x));
    check(
        same_vector(&got, &vector(&TABLE_MEANS)),
        &text,
        show_vector(&got),
        "[1925.0, 3.0]: 7700/4 square feet and 12/4 bedrooms",
        MEANS,
    );
}

#[test]
fn column_stds_of_the_feature_table_divide_by_n() {
    let x = table_x();
    let means = vector(&TABLE_MEANS);
    let text = format!("column_stds(&{}, &[1925.0, 3.0])", show_matrix(&x));
    let got = call(&text, STDS, || exercise_07::column_stds(&x, &means));
    let expected = vector(&table_stds());
    check(
        same_vector(&got, &expected),
        &text,
        show_vector(&got),
        format!("{}: √(1867500/4) and √(2/4), worked out in chapter 7", show_vector(&expected)),
        stds_hint(&got),
    );
}

#[test]
fn the_scaler_of_the_feature_table() {
    let s = table_scaler();
    let text = "Scaler::fit(&x) on the feature table";
    check(
        same_vector(&s.mean, &vector(&TABLE_MEANS))
            && same_vector(&s.scale, &vector(&table_stds())),
        text,
        format!("Scaler {{ mean: {}, scale: {} }}", show_vector(&s.mean), show_vector(&s.scale)),
        format!("Scaler {{ mean: [1925.0, 3.0], scale: {} }}", show_vector(&vector(&table_stds()))),
        if same_vector(&s.mean, &vector(&TABLE_MEANS)) { stds_hint(&s.scale) } else { FIT },
    );
}

#[test]
fn transform_standardises_the_feature_table() {
    let s = table_scaler();
    let x = table_x();
    let text = "scaler.transform(&x) on the feature table";
    let got = call(text, TRANSFORM, || s.transform(&x));
    let z = expect_ok(text, got, "Ok(the standardised table)", TRANSFORM);
    let [size_std, bed_std] = table_stds();
    let expected = DMatrix::from_fn(4, 2, |i, j| {
        (x[(i, j)] - TABLE_MEANS[j]) / if j == 0 { size_std } else { bed_std }
    });
    let only_divided = DMatrix::from_fn(4, 2, |i, j| x[(i, j)] / s.scale[j]);
    check(
        same_matrix(&z, &expected),
        text,
        show_matrix(&z),
        format!("{} (bedrooms −√2, 0, 0, √2)", show_matrix(&expected)),
        if same_matrix(&z, &only_divided) { NOT_CENTRED } else { TRANSFORM },
    );
}

#[test]
fn transform_uses_the_fitted_numbers_on_new_rows() {
    // A house of the mean size with the mean number of bedrooms is (0, 0);
    // one a standard deviation larger in both is (1, 1).
    let s = table_scaler();
    let [size_std, bed_std] = table_stds();
    let new = matrix(&[&[1925.0, 3.0], &[1925.0 + size_std, 3.0 + bed_std]]);
    let text = "scaler.transform(&[[1925.0, 3.0], [1925 + σ₁, 3 + σ₂]]) with the table's scaler";
    let got = call(text, TRANSFORM, || s.transform(&new));
    let z = expect_ok(text, got, "Ok([[0, 0], [1, 1]])", TRANSFORM);
    let expected = matrix(&[&[0.0, 0.0], &[1.0, 1.0]]);
    check(
        Tolerance::Absolute(1e-12).accepts((&z - &expected).amax(), 0.0) && z.shape() == (2, 2),
        text,
        show_matrix(&z),
        "[[0.0, 0.0], [1.0, 1.0]] (2×2): new rows are standardised with the training rows' mean and scale, never measured themselves",
        TRANSFORM,
    );
}

#[test]
fn transform_refuses_another_number_of_columns() {
    let s = table_scaler();
    let x = matrix(&[&[1.0, 2.0, 3.0]]);
    let text = "scaler.transform(&[[1.0, 2.0, 3.0]]) with a scaler fitted on 2 features";
    let got = call(text, TRANSFORM, || s.transform(&x));
    check_error(
        text,
        got,
        &ModelError::ColumnCount { fitted: 2, got: 3 },
        &["fitted on 2 features", "3 columns"],
        TRANSFORM,
        TRANSFORM,
    );
}

#[test]
fn fit_refuses_no_rows_and_values_that_are_not_finite() {
    let text = "Scaler::fit(&x) with no rows";
    let got = call(text, FIT, || Scaler::fit(&DMatrix::zeros(0, 3)));
    check_error(text, got, &ModelError::NoRows, &["no rows"], FIT, FIT);
    let x = matrix(&[&[1.0, 2.0], &[3.0, f64::NAN]]);
    let text = "Scaler::fit(&[[1.0, 2.0], [3.0, NaN]])";
    let got = call(text, FIT, || Scaler::fit(&x));
    check_error(
        text,
        got,
        &ModelError::NotFiniteFeature { row: 1, column: 1, value: f64::NAN },
        &["x[(1, 1)] is NaN"],
        FIT,
        FIT,
    );
}

#[test]
fn a_constant_column_becomes_zeros() {
    // Every house of this estate has 3 bedrooms.
    let x = matrix(&[&[1200.0, 3.0], &[1500.0, 3.0], &[2000.0, 3.0], &[3000.0, 3.0]]);
    let text = "Scaler::fit(&x) with a constant column of 3's, then transform(&x)";
    let got = call(text, FIT, || Scaler::fit(&x));
    let s = expect_ok(text, got, "Ok(a scaler)", CONSTANT);
    check(
        s.scale[1] == 1.0 && s.mean[1] == 3.0,
        text,
        format!("Scaler {{ mean: {}, scale: {} }}", show_vector(&s.mean), show_vector(&s.scale)),
        "mean[1] = 3 and scale[1] = 1: a constant column keeps scale 1",
        CONSTANT,
    );
    let z = call(text, TRANSFORM, || s.transform(&x));
    let z = expect_ok(text, z, "Ok(a column of zeros)", TRANSFORM);
    check(
        z.column(1).iter().all(|v| *v == 0.0),
        text,
        show_matrix(&z),
        "column 1 all zeros, not NaN",
        CONSTANT,
    );
}

#[test]
fn a_constant_column_with_rounding_in_its_mean_becomes_zeros() {
    // The mean of three 0.1's is 0.10000000000000002 in f64: the std is
    // about 1e-17, not 0.
    let x = matrix(&[&[1.0, 0.1], &[2.0, 0.1], &[4.0, 0.1]]);
    let text = "Scaler::fit(&[[1.0, 0.1], [2.0, 0.1], [4.0, 0.1]])";
    let got = call(text, FIT, || Scaler::fit(&x));
    let s = expect_ok(text, got, "Ok(a scaler)", CONSTANT);
    check(
        s.scale[1] == 1.0,
        text,
        format!("Scaler {{ mean: {}, scale: {} }}", show_vector(&s.mean), show_vector(&s.scale)),
        "scale[1] = 1: the column is constant, up to rounding in its mean",
        if s.scale[1] > 0.0 && s.scale[1] < 1e-12 { CONSTANT_ROUNDING } else { CONSTANT },
    );
}

#[test]
fn a_constant_column_of_large_numbers_becomes_zeros() {
    // Seven rows surveyed in 2024.3: the mean is 2024.2999999999997 in f64,
    // and the deviations leave a std of about 2e-13, tiny next to 2024.
    let x = DMatrix::from_fn(7, 2, |i, j| if j == 0 { i as f64 } else { 2024.3 });
    let text = "Scaler::fit(&x) with a column of seven 2024.3's";
    let got = call(text, FIT, || Scaler::fit(&x));
    let s = expect_ok(text, got, "Ok(a scaler)", CONSTANT);
    check(
        s.scale[1] == 1.0,
        text,
        format!("Scaler {{ mean: {}, scale: {} }}", show_vector(&s.mean), show_vector(&s.scale)),
        "scale[1] = 1: a std of 2e-13 is rounding next to a mean of 2024 (std ≤ CONSTANT_TOLERANCE·|mean|)",
        if s.scale[1] > 0.0 && s.scale[1] < 1e-9 { CONSTANT_ROUNDING } else { CONSTANT },
    );
}

#[test]
fn to_original_maps_the_weights_back() {
    // The table's scaler: a model ŷ = 100·size' + 20·bedrooms' + 450 on the
    // standardised features is, in square feet and bedrooms,
    // w = (100/σ₁, 20/σ₂) and b = 450 − 1925·w₁ − 3·w₂.
    let s = table_scaler();
    let scaled = model(&[100.0, 20.0], 450.0);
    let [s1, s2] = table_stds();
    let w = [100.0 / s1, 20.0 / s2];
    let expected = model(&w, 450.0 - 1925.0 * w[0] - 3.0 * w[1]);
    let text = format!("scaler.to_original(&{}) with the table's scaler", show_model(&scaled));
    let got = call(&text, TO_ORIGINAL, || s.to_original(&scaled));
    let hint = if same_vector(&got.w, &expected.w) && close(got.b, 450.0) {
        BIAS_NOT_SHIFTED
    } else if same_vector(&got.w, &vector(&[100.0 * s1, 20.0 * s2])) {
        TIMES_SCALE
    } else {
        TO_ORIGINAL
    };
    check(
        same_model(&got, &expected, 1e-9),
        &text,
        show_model(&got),
        format!("{} (wⱼ = w'ⱼ/scale[j], b = b' − Σ wⱼ·mean[j])", show_model(&expected)),
        hint,
    );
}

#[test]
fn standardise_split_fits_on_the_training_rows_only() {
    let data = housing();
    let text = "standardise_split(&housing_split())";
    let got = call(text, SPLIT, || exercise_07::standardise_split(&data));
    let (s, train, validation) = expect_ok(text, got, "Ok((scaler, train, validation))", SPLIT);
    let expected = reference::Scaler::fit(&data.train_x).expect("the houses are fine");
    let all = DMatrix::from_fn(200, 4, |i, j| {
        if i < 160 { data.train_x[(i, j)] } else { data.validation_x[(i - 160, j)] }
    });
    let all_means = reference::column_means(&all);
    check(
        same_vector(&s.mean, &expected.mean) && same_vector(&s.scale, &expected.scale),
        text,
        format!("a scaler with mean {}", show_vector(&s.mean)),
        format!(
            "mean {} and scale {}, measured on the 160 training rows",
            show_vector(&expected.mean),
            show_vector(&expected.scale)
        ),
        if same_vector(&s.mean, &all_means) { LEAKAGE } else { SPLIT },
    );
    let expected_train = expected.transform(&data.train_x).unwrap();
    let expected_validation = expected.transform(&data.validation_x).unwrap();
    check(
        same_matrix(&train, &expected_train),
        text,
        "training rows different from the training rows standardised with the scaler",
        "the training rows standardised with the training rows' scaler",
        SPLIT,
    );
    let own = reference::column_means(&validation);
    check(
        same_matrix(&validation, &expected_validation),
        text,
        format!("validation rows whose column means are {}", show_vector(&own)),
        format!(
            "the validation rows standardised with the training rows' scaler (column means {}, not 0)",
            show_vector(&reference::column_means(&expected_validation))
        ),
        if own.iter().all(|m| m.abs() < 1e-9) { REFITTED } else { SPLIT },
    );
}
