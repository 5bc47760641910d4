//! Exercise 07: many inputs and feature scaling.
//!
//! A house has more than a size: bedrooms, an age, a distance to the centre.
//! With `d` features the model is the *linear layer*
//!
//! ```text
//! ŷ = X w + b        (X: N rows, one per example; d columns, one per feature)
//! ```
//!
//! written once with matrices. Its gradient is two lines of nalgebra, and
//! gradient descent on it works, but only once the features are on the same
//! scale: square feet in the thousands next to bedrooms 1 to 5 make a cost
//! bowl a hundred million times steeper one way than another. This crate
//! standardises the features (fitted on the training rows only, as
//! scikit-learn's `StandardScaler`), trains on the standardised features,
//! maps the weights back to the original units, and lands on exercise 06's
//! least-squares answer.
//!
//! Write the functions in the order of this file. Chapter 7 of the book,
//! "Many inputs and feature scaling", explains them. The code that is
//! already written (the housing data set, `Linear`, the error messages)
//! is used by yours and by the tests; read it, but you don't need to change
//! it.
//!
//! Every matrix is an `nalgebra::DMatrix<f64>`: `x[(i, j)]` is row `i`
//! (example `i`), column `j` (feature `j`).

use nalgebra::{DMatrix, DVector};
use solution_01::Inputs;
use thiserror::Error;

// ---------------------------------------------------------------------------
// The housing data set (already written)

// ANCHOR: housing
/// The names of the housing data set's features, in the order of its columns.
pub const HOUSING_FEATURES: [&str; 4] = ["size_sqft", "bedrooms", "age_years", "distance_km"];

/// The rows of the housing data set and the seed that draws them.
pub const HOUSING_ROWS: usize = 200;
pub const HOUSING_SEED: u64 = 7;
/// The first `HOUSING_TRAIN_ROWS` rows train; the other 40 validate.
pub const HOUSING_TRAIN_ROWS: usize = 160;

/// The true price of a house, in lakh, before the noise:
/// `40 + 0.03·size + 6·bedrooms − 0.4·age − 1.5·distance`.
pub const HOUSING_BIAS: f64 = 40.0;
pub const HOUSING_WEIGHTS: [f64; 4] = [0.03, 6.0, -0.4, -1.5];
/// The standard deviation of the noise, in lakh.
pub const HOUSING_NOISE: f64 = 5.0;

/// Houses whose features have very different scales, drawn from
/// `solution_01::seeded_rng(seed)`: for each row in turn, four uniform
/// numbers u₁…u₄ on [0, 1) (`draw_inputs(Inputs::Uniform, 4, …)`) give
///
/// ```text
/// size      = 600 + 2900·u₁                   square feet, 600 to 3500
/// bedrooms  = round(size/1000 + 3·u₂ − 0.5), between 1 and 5
/// age       = 60·u₃                           years
/// distance  = 0.5 + 29.5·u₄                   km to the centre
/// ```
///
/// then `n` noise values (`draw_noise(HOUSING_NOISE, n, …)`), and the price
/// is [`HOUSING_BIAS`] + [`HOUSING_WEIGHTS`]·features + noise. Bedrooms
/// grow with the size, as in real houses, so the two columns are correlated.
pub fn housing(n: usize, seed: u64) -> (DMatrix<f64>, DVector<f64>) {
    let mut rng = solution_01::seeded_rng(seed);
    let mut x = DMatrix::zeros(n, HOUSING_FEATURES.len());
    for i in 0..n {
        let u = solution_01::draw_inputs(Inputs::Uniform, 4, &mut rng);
        let size = 600.0 + 2900.0 * u[0];
        x[(i, 0)] = size;
        x[(i, 1)] = (size / 1000.0 + 3.0 * u[1] - 0.5).round().clamp(1.0, 5.0);
        x[(i, 2)] = 60.0 * u[2];
        x[(i, 3)] = 0.5 + 29.5 * u[3];
    }
    let noise = solution_01::draw_noise(HOUSING_NOISE, n, &mut rng);
    let weights = DVector::from_column_slice(&HOUSING_WEIGHTS);
    let y = (&x * weights).add_scalar(HOUSING_BIAS) + DVector::from_vec(noise);
    (x, y)
}

/// The course's housing data, split: the first [`HOUSING_TRAIN_ROWS`] rows
/// of `housing(HOUSING_ROWS, HOUSING_SEED)` train, the rest validate (the
/// rows are drawn at random, so their order is already random).
pub fn housing_split() -> Split {
    let (x, y) = housing(HOUSING_ROWS, HOUSING_SEED);
    let t = HOUSING_TRAIN_ROWS;
    let v = HOUSING_ROWS - t;
    Split {
        train_x: x.rows(0, t).into_owned(),
        train_y: y.rows(0, t).into_owned(),
        validation_x: x.rows(t, v).into_owned(),
        validation_y: y.rows(t, v).into_owned(),
    }
}

/// Examples split into training and validation rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub train_x: DMatrix<f64>,
    pub train_y: DVector<f64>,
    pub validation_x: DMatrix<f64>,
    pub validation_y: DVector<f64>,
}
// ANCHOR_END: housing

// ---------------------------------------------------------------------------
// The linear layer

// ANCHOR: linear
/// A linear model with many inputs, `ŷ = X w + b`: one weight per feature
/// and one bias.
#[derive(Clone, Debug, PartialEq)]
pub struct Linear {
    /// The weights, one per column of `X`.
    pub w: DVector<f64>,
    /// The bias.
    pub b: f64,
}

impl Linear {
    /// The untrained model with `features` weights: every weight and the
    /// bias 0.
    pub fn zeros(features: usize) -> Linear {
        Linear { w: DVector::zeros(features), b: 0.0 }
    }
}
// ANCHOR_END: linear

// ANCHOR: predict
/// The predictions of the linear layer for every row of `x` at once:
///
/// ```text
/// ŷ = X w + b        ŷᵢ = Σⱼ xᵢⱼ·wⱼ + b
/// ```
///
/// `x * w` is the matrix-vector product in nalgebra (`&x * &w` without
/// moving them); `add_scalar(b)` adds `b` to every entry. `x` has one column
/// per weight; the shapes are checked by [`check_shapes`], not here.
pub fn predict(x: &DMatrix<f64>, model: &Linear) -> DVector<f64> {
    // BEGIN SOLUTION: return X·w with b added to every entry
    (x * &model.w).add_scalar(model.b)
    // END SOLUTION
}
// ANCHOR_END: predict

// ANCHOR: check_shapes
/// Checks that the model and the examples fit together, and returns the
/// first problem, in this order:
///
/// 1. `x` has a number of rows different from `y`'s length:
///    [`ModelError::LengthMismatch`];
/// 2. no rows at all: [`ModelError::NoRows`];
/// 3. `x` has a number of columns different from the model's number of
///    weights: [`ModelError::WeightCount`];
/// 4. a value of `x` that is NaN or infinite: [`ModelError::NotFiniteFeature`],
///    the first one row by row (row 0 from left to right, then row 1, …);
/// 5. a value of `y` that is NaN or infinite: [`ModelError::NotFiniteTarget`].
pub fn check_shapes(x: &DMatrix<f64>, model: &Linear, y: &DVector<f64>) -> Result<(), ModelError> {
    // BEGIN SOLUTION: return the first of the five problems, in the order listed; else Ok(())
    if x.nrows() != y.len() {
        return Err(ModelError::LengthMismatch { rows: x.nrows(), targets: y.len() });
    }
    if x.nrows() == 0 {
        return Err(ModelError::NoRows);
    }
    if x.ncols() != model.w.len() {
        return Err(ModelError::WeightCount { columns: x.ncols(), weights: model.w.len() });
    }
    check_features(x)?;
    if let Some(row) = y.iter().position(|v| !v.is_finite()) {
        return Err(ModelError::NotFiniteTarget { row, value: y[row] });
    }
    Ok(())
    // END SOLUTION
}
// ANCHOR_END: check_shapes

/// The first value of `x` that is NaN or infinite, row by row.
fn check_features(x: &DMatrix<f64>) -> Result<(), ModelError> {
    for (row, values) in x.row_iter().enumerate() {
        if let Some(column) = values.iter().position(|v| !v.is_finite()) {
            return Err(ModelError::NotFiniteFeature { row, column, value: values[column] });
        }
    }
    Ok(())
}

// ANCHOR: mse
/// The mean squared error of the model on the examples,
/// `J = (1/N)·Σᵢ (ŷᵢ − yᵢ)²`, after [`check_shapes`].
pub fn mse(x: &DMatrix<f64>, model: &Linear, y: &DVector<f64>) -> Result<f64, ModelError> {
    // BEGIN SOLUTION: check the shapes, then return the mean of the squared errors ŷ − y
    check_shapes(x, model, y)?;
    let errors = predict(x, model) - y;
    Ok(errors.norm_squared() / y.len() as f64)
    // END SOLUTION
}
// ANCHOR_END: mse

// ANCHOR: gradient
/// The gradient of the mean squared error, written once with matrices:
///
/// ```text
/// e  = X w + b − y              the errors, prediction minus target
/// ∇w = (2/N) · Xᵀe              d entries, one per weight
/// ∇b = 2 · mean(e)
/// ```
///
/// `x.tr_mul(&e)` is `Xᵀe` (one entry per column of `X`) without building
/// the transpose; `x * e` would be one entry per row, and only fits when
/// `X` is square. Exercise 03's `mse_gradient_features` computes the same
/// numbers with loops. The shapes are checked first, with [`check_shapes`].
pub fn gradient(
    x: &DMatrix<f64>,
    model: &Linear,
    y: &DVector<f64>,
) -> Result<Gradient, ModelError> {
    // BEGIN SOLUTION: check the shapes, compute e = ŷ − y, then ∇w = (2/N)·Xᵀe with tr_mul and ∇b = 2·mean(e)
    check_shapes(x, model, y)?;
    let errors = predict(x, model) - y;
    let n = y.len() as f64;
    Ok(Gradient { w: x.tr_mul(&errors) * (2.0 / n), b: 2.0 * errors.mean() })
    // END SOLUTION
}
// ANCHOR_END: gradient

// ANCHOR: gradient_type
/// The gradient of the cost: one derivative per weight, and the bias's.
#[derive(Clone, Debug, PartialEq)]
pub struct Gradient {
    /// ∂J/∂wⱼ for every weight.
    pub w: DVector<f64>,
    /// ∂J/∂b.
    pub b: f64,
}
// ANCHOR_END: gradient_type

// ---------------------------------------------------------------------------
// Standardisation

// ANCHOR: column_means
/// The mean of every column of `x`: `mean[j] = (1/N)·Σᵢ xᵢⱼ`. (`x.row_mean()`
/// gives them as a row; `x.column_iter()` walks the columns.)
pub fn column_means(x: &DMatrix<f64>) -> DVector<f64> {
    // BEGIN SOLUTION: return one mean per column
    DVector::from_iterator(x.ncols(), x.column_iter().map(|column| column.mean()))
    // END SOLUTION
}
// ANCHOR_END: column_means

// ANCHOR: column_stds
/// The *population* standard deviation of every column of `x`, around the
/// given `means`:
///
/// ```text
/// std[j] = √( (1/N)·Σᵢ (xᵢⱼ − mean[j])² )
/// ```
///
/// divided by N, not N − 1: this describes the training rows themselves,
/// as scikit-learn's `StandardScaler` does (numpy's `std` with `ddof=0`),
/// not an estimate of a larger population's.
pub fn column_stds(x: &DMatrix<f64>, means: &DVector<f64>) -> DVector<f64> {
    // BEGIN SOLUTION: return one population standard deviation per column, around means[j], dividing by N
    let n = x.nrows() as f64;
    DVector::from_iterator(
        x.ncols(),
        x.column_iter().zip(means.iter()).map(|(column, mean)| {
            (column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt()
        }),
    )
    // END SOLUTION
}
// ANCHOR_END: column_stds

// ANCHOR: constant_tolerance
/// A column whose standard deviation is at most `CONSTANT_TOLERANCE` times
/// its mean's size counts as constant: what is left is rounding in the mean
/// (the mean of three 0.1's is not exactly 0.1 in f64).
pub const CONSTANT_TOLERANCE: f64 = 1e-12;
// ANCHOR_END: constant_tolerance

// ANCHOR: scaler
/// Standardisation, as scikit-learn's `StandardScaler`: every feature
/// shifted by its mean and divided by its scale, both measured on the
/// training rows,
///
/// ```text
/// x'ᵢⱼ = (xᵢⱼ − mean[j]) / scale[j]
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Scaler {
    /// The mean of every feature over the training rows.
    pub mean: DVector<f64>,
    /// The population standard deviation of every feature over the training
    /// rows, or 1 for a constant feature.
    pub scale: DVector<f64>,
}
// ANCHOR_END: scaler

impl Scaler {
    // ANCHOR: fit
    /// Measures the features of the *training* rows `train`:
    ///
    /// 1. no rows: [`ModelError::NoRows`]; a value that is NaN or infinite:
    ///    [`ModelError::NotFiniteFeature`], the first one row by row;
    /// 2. `mean` from [`column_means`], the standard deviations from
    ///    [`column_stds`];
    /// 3. `scale[j]` is the standard deviation, except for a constant
    ///    column (std ≤ [`CONSTANT_TOLERANCE`]·|mean|, which includes
    ///    std = 0): its scale is 1, as scikit-learn's, so that it becomes a
    ///    column of zeros instead of 0/0 = NaN.
    ///
    /// Fit it on the training rows only: validation rows and new houses are
    /// transformed with these numbers, never measured themselves.
    pub fn fit(train: &DMatrix<f64>) -> Result<Scaler, ModelError> {
        // BEGIN SOLUTION: refuse no rows and non-finite values; mean and population std per column; scale 1 for a constant column
        if train.nrows() == 0 {
            return Err(ModelError::NoRows);
        }
        check_features(train)?;
        let mean = column_means(train);
        let std = column_stds(train, &mean);
        let scale =
            std.zip_map(&mean, |s, m| if s <= CONSTANT_TOLERANCE * m.abs() { 1.0 } else { s });
        Ok(Scaler { mean, scale })
        // END SOLUTION
    }
    // ANCHOR_END: fit

    // ANCHOR: transform
    /// Standardises `x` with the numbers measured by [`Scaler::fit`]:
    /// `(xᵢⱼ − mean[j]) / scale[j]` for every entry. `x` may be the training
    /// rows, validation rows or new houses, but must have the fitted number
    /// of columns: [`ModelError::ColumnCount`] otherwise.
    pub fn transform(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>, ModelError> {
        // BEGIN SOLUTION: refuse a different number of columns, then return (x − mean) / scale column by column
        if x.ncols() != self.mean.len() {
            return Err(ModelError::ColumnCount { fitted: self.mean.len(), got: x.ncols() });
        }
        let mut scaled = x.clone();
        for (j, mut column) in scaled.column_iter_mut().enumerate() {
            column.apply(|v| *v = (*v - self.mean[j]) / self.scale[j]);
        }
        Ok(scaled)
        // END SOLUTION
    }
    // ANCHOR_END: transform

    // ANCHOR: to_original
    /// The model trained on standardised features, in the original units.
    /// Substituting x' = (x − mean)/scale into ŷ = Σⱼ w'ⱼ·x'ⱼ + b' gives
    ///
    /// ```text
    /// wⱼ = w'ⱼ / scale[j]
    /// b  = b' − Σⱼ w'ⱼ·mean[j] / scale[j]   = b' − Σⱼ wⱼ·mean[j]
    /// ```
    ///
    /// and the two models predict the same prices: the one on standardised
    /// features, the other on the raw ones.
    pub fn to_original(&self, scaled: &Linear) -> Linear {
        // BEGIN SOLUTION: divide every weight by its scale, and shift the bias by Σ wⱼ·mean[j]
        let w = scaled.w.component_div(&self.scale);
        let b = scaled.b - w.dot(&self.mean);
        Linear { w, b }
        // END SOLUTION
    }
    // ANCHOR_END: to_original
}

// ANCHOR: standardise_split
/// Standardises a split: the scaler is fitted on `split.train_x` only, then
/// the training *and* the validation rows are transformed with it. Returns
/// the scaler and the two standardised matrices.
///
/// Fitting on all the rows would let the validation rows leak into the
/// training: their mean and spread would shape the features the model
/// learns from, and the validation loss would no longer measure houses the
/// model has never seen.
pub fn standardise_split(
    split: &Split,
) -> Result<(Scaler, DMatrix<f64>, DMatrix<f64>), ModelError> {
    // BEGIN SOLUTION: fit a Scaler on the training rows only, then transform both the training and the validation rows with it
    let scaler = Scaler::fit(&split.train_x)?;
    let train = scaler.transform(&split.train_x)?;
    let validation = scaler.transform(&split.validation_x)?;
    Ok((scaler, train, validation))
    // END SOLUTION
}
// ANCHOR_END: standardise_split

// ---------------------------------------------------------------------------
// Gradient descent, raw and scaled

// ANCHOR: descent
/// A run of gradient descent: where it ended and the cost on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct Descent {
    /// The model after the last step.
    pub model: Linear,
    /// The MSE before the first step, then after every epoch: `epochs + 1`
    /// numbers, fewer if the run diverged.
    pub losses: Vec<f64>,
    /// Whether the cost ran away (see [`DIVERGENCE_FACTOR`]).
    pub diverged: bool,
}

/// A run diverged when its cost is not finite, or larger than
/// `DIVERGENCE_FACTOR` times the cost before the first step.
pub const DIVERGENCE_FACTOR: f64 = 1e6;
// ANCHOR_END: descent

// ANCHOR: descend
/// Full-batch gradient descent on the examples, from [`Linear::zeros`]:
///
/// 1. a `learning_rate` that is not a finite number greater than 0:
///    [`ModelError::BadLearningRate`]; then [`check_shapes`];
/// 2. push the MSE of the starting model to `losses`;
/// 3. then `epochs` times: compute the [`gradient`], step
///    `w ← w − α·∇w` and `b ← b − α·∇b`, and push the MSE after the step;
///    if that MSE is not finite or exceeds [`DIVERGENCE_FACTOR`] times the
///    first one, set `diverged` and stop.
pub fn descend(
    x: &DMatrix<f64>,
    y: &DVector<f64>,
    learning_rate: f64,
    epochs: usize,
) -> Result<Descent, ModelError> {
    // BEGIN SOLUTION: check the learning rate and the shapes, then record the first loss and take `epochs` steps, recording the loss after each and stopping when it runs away
    if !(learning_rate.is_finite() && learning_rate > 0.0) {
        return Err(ModelError::BadLearningRate { rate: learning_rate });
    }
    let mut model = Linear::zeros(x.ncols());
    let first = mse(x, &model, y)?;
    let mut losses = vec![first];
    let mut diverged = false;
    for _ in 0..epochs {
        let g = gradient(x, &model, y)?;
        model.w -= g.w * learning_rate;
        model.b -= learning_rate * g.b;
        let loss = mse(x, &model, y)?;
        losses.push(loss);
        if !loss.is_finite() || loss > DIVERGENCE_FACTOR * first {
            diverged = true;
            break;
        }
    }
    Ok(Descent { model, losses, diverged })
    // END SOLUTION
}
// ANCHOR_END: descend

// ANCHOR: scaled_model
/// A model trained on standardised features, with the scaler that
/// standardised them: it takes raw houses.
#[derive(Clone, Debug, PartialEq)]
pub struct ScaledModel {
    pub scaler: Scaler,
    /// The weights and bias in standardised units.
    pub model: Linear,
}

impl ScaledModel {
    // ANCHOR: scaled_predict
    /// The predictions for raw houses `x` (in square feet, years, …): they
    /// are standardised with the training rows' numbers first, because the
    /// weights were learned on standardised features.
    pub fn predict(&self, x: &DMatrix<f64>) -> Result<DVector<f64>, ModelError> {
        // BEGIN SOLUTION: transform x with the scaler, then predict with the standardised model
        let scaled = self.scaler.transform(x)?;
        Ok(predict(&scaled, &self.model))
        // END SOLUTION
    }
    // ANCHOR_END: scaled_predict

    /// The same model in the original units ([`Scaler::to_original`]).
    pub fn to_original(&self) -> Linear {
        self.scaler.to_original(&self.model)
    }
}
// ANCHOR_END: scaled_model

// ANCHOR: fit_scaled
/// Gradient descent on standardised features:
///
/// 1. a [`Scaler`] fitted on `x` (the training rows);
/// 2. [`descend`] on the transformed `x` and on `y` *as it is*: only the
///    features are scaled, so the predictions come out in the target's own
///    units and need no mapping back;
/// 3. the scaler and the trained model together, with the run.
pub fn fit_scaled(
    x: &DMatrix<f64>,
    y: &DVector<f64>,
    learning_rate: f64,
    epochs: usize,
) -> Result<(ScaledModel, Descent), ModelError> {
    // BEGIN SOLUTION: fit the scaler on x, descend on the transformed x and the raw y, and return the scaler with the model
    let scaler = Scaler::fit(x)?;
    let scaled = scaler.transform(x)?;
    let run = descend(&scaled, y, learning_rate, epochs)?;
    Ok((ScaledModel { scaler, model: run.model.clone() }, run))
    // END SOLUTION
}
// ANCHOR_END: fit_scaled

// ANCHOR: least_squares_scaled
/// The least-squares model in one step, on standardised features, in the
/// original units:
///
/// 1. a [`Scaler`] fitted on `x`, and `x` transformed;
/// 2. the design matrix of the *standardised* features with
///    `solution_06::add_intercept`: the column of ones is added after
///    scaling, never scaled itself;
/// 3. `solution_06::least_squares` with `Solver::Qr` (its error becomes
///    [`ModelError::Fit`] with `?`): coefficient 0 is b', the others w';
/// 4. [`Scaler::to_original`].
pub fn least_squares_scaled(x: &DMatrix<f64>, y: &DVector<f64>) -> Result<Linear, ModelError> {
    // BEGIN SOLUTION: scale x, add the ones after scaling, solve with exercise 06's least_squares, and map the coefficients back
    let scaler = Scaler::fit(x)?;
    let design = solution_06::add_intercept(&scaler.transform(x)?);
    let fit = solution_06::least_squares(&design, y, solution_06::Solver::Qr)?;
    let coefficients = fit.coefficients;
    let scaled = Linear { w: coefficients.rows(1, x.ncols()).into_owned(), b: coefficients[0] };
    Ok(scaler.to_original(&scaled))
    // END SOLUTION
}
// ANCHOR_END: least_squares_scaled

// ANCHOR: hessian_condition
/// The condition number of the cost's bowl: the ratio of its steepest to
/// its flattest curvature. The second derivatives of the MSE in (w, b) form
/// the matrix (2/N)·AᵀA, with `A = [1 X]` the design matrix (the features
/// and a column of ones, `solution_06::add_intercept`), so
///
/// ```text
/// κ(AᵀA) = κ(A)²      with κ(A) = solution_06::condition_number(&A)
/// ```
///
/// Gradient descent needs about κ steps to cross the bowl: the learning
/// rate must stay below 2/(steepest curvature), and with it the flattest
/// direction moves by a fraction 1/κ of the way per step.
pub fn hessian_condition(x: &DMatrix<f64>) -> f64 {
    // BEGIN SOLUTION: return the square of the condition number of the design matrix [1 X]
    let kappa = solution_06::condition_number(&solution_06::add_intercept(x));
    kappa * kappa
    // END SOLUTION
}
// ANCHOR_END: hessian_condition

// ---------------------------------------------------------------------------
// Errors

// ANCHOR: errors
/// What went wrong, and what to do about it.
#[derive(Clone, Debug, PartialEq, Error)]
pub enum ModelError {
    /// `x` and `y` disagree on the number of examples.
    #[error(
        "x has {rows} rows but y has {targets} values; give one target for every row (example) of x"
    )]
    LengthMismatch { rows: usize, targets: usize },

    /// There are no examples.
    #[error(
        "there are no rows: a model needs at least one example to measure (and a scaler one to fit)"
    )]
    NoRows,

    /// `x` has a number of columns different from the model's weights.
    #[error(
        "x has {columns} columns but the model has {weights} weights; give the model one weight per feature (column)"
    )]
    WeightCount { columns: usize, weights: usize },

    /// A feature value is NaN or infinite.
    #[error(
        "x[({row}, {column})] is {value}, but every value must be a finite number; find where it came from (a missing entry read as NaN, a division by zero)"
    )]
    NotFiniteFeature { row: usize, column: usize, value: f64 },

    /// A target value is NaN or infinite.
    #[error(
        "y[{row}] is {value}, but every value must be a finite number; find where it came from (a missing entry read as NaN, a division by zero)"
    )]
    NotFiniteTarget { row: usize, value: f64 },

    /// The scaler was fitted on another number of features.
    #[error(
        "the scaler was fitted on {fitted} features but x has {got} columns; transform rows with the same features, in the same order, as the training rows"
    )]
    ColumnCount { fitted: usize, got: usize },

    /// The learning rate is not a finite number greater than 0.
    #[error("the learning rate is {rate}, but it must be a finite number greater than 0")]
    BadLearningRate { rate: f64 },

    /// Exercise 06's least squares found no single answer.
    #[error("{0}")]
    Fit(#[from] solution_06::FitError),
}
// ANCHOR_END: errors
