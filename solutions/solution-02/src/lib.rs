//! Exercise 02: the model and the loss.
//!
//! A linear model turns an input `x` into a prediction `ŷ` with two numbers,
//! the weight `w` and the bias `b`. A loss turns a prediction and the true
//! value `y` into one number that says how wrong the prediction was; the cost
//! (here the mean squared error) averages the loss over a whole data set.
//!
//! Write the functions in the order of this file: each one uses the ones
//! above it. Chapter 2 of the book, "The model and the loss", explains them.

use std::fmt;

use thiserror::Error;

// ANCHOR: untrained
/// The weight of the workshop's untrained model: the value PyTorch's
/// `nn.Linear(1, 1)` drew for it after `torch.manual_seed(100)`.
pub const UNTRAINED_W: f64 = -0.7767;

/// The bias of the workshop's untrained model (same origin as [`UNTRAINED_W`]).
pub const UNTRAINED_B: f64 = 0.6317;
// ANCHOR_END: untrained

// ANCHOR: predict
/// The model's prediction for one input:
///
/// ```text
/// ŷ = w·x + b
/// ```
///
/// `w`, the weight, is the slope of the line: how much `ŷ` grows when `x`
/// grows by one. `b`, the bias, is where the line crosses the vertical axis:
/// the prediction at `x = 0`.
///
/// With the untrained model, `predict(-0.7767, 0.6317, 2.0)` is about
/// `-0.9217`.
pub fn predict(w: f64, b: f64, x: f64) -> f64 {
    // BEGIN SOLUTION: return w·x + b
    w * x + b
    // END SOLUTION
}
// ANCHOR_END: predict

// ANCHOR: predict_all
/// The same line's predictions for a batch of inputs, one for each `x`, in
/// the same order:
///
/// ```text
/// ŷᵢ = w·xᵢ + b    for every i
/// ```
///
/// No inputs give no predictions: an empty `xs` gives an empty vector.
pub fn predict_all(w: f64, b: f64, xs: &[f64]) -> Vec<f64> {
    // BEGIN SOLUTION: return a Vec with predict(w, b, x) for every x in xs, in order
    xs.iter().map(|&x| predict(w, b, x)).collect()
    // END SOLUTION
}
// ANCHOR_END: predict_all

// ANCHOR: dot
/// The dot product of the weights and the features of one example:
///
/// ```text
/// w·x = w₁x₁ + w₂x₂ + … + wₙxₙ
/// ```
///
/// Each feature has its own weight, so `w` and `x` must have the same length;
/// if they don't, this returns [`InputError::LengthMismatch`] with `w` first.
/// The dot product of two empty slices is 0 (a sum with no terms).
pub fn dot(w: &[f64], x: &[f64]) -> Result<f64, InputError> {
    // BEGIN SOLUTION: check that w and x have the same length, then return the sum of the products wᵢ·xᵢ
    if w.len() != x.len() {
        return Err(InputError::LengthMismatch {
            first: Argument::W,
            first_len: w.len(),
            second: Argument::X,
            second_len: x.len(),
        });
    }
    Ok(w.iter().zip(x).map(|(wi, xi)| wi * xi).sum())
    // END SOLUTION
}
// ANCHOR_END: dot

// ANCHOR: predict_features
/// The model's prediction for one example with many features:
///
/// ```text
/// ŷ = w·x + b = w₁x₁ + w₂x₂ + … + wₙxₙ + b
/// ```
///
/// The same formula as [`predict`], with `w` and `x` now vectors: with one
/// feature, `predict_features(&[w], b, &[x])` is `predict(w, b, x)`. There is
/// still one bias, however many features there are. Errors as in [`dot`].
pub fn predict_features(w: &[f64], b: f64, x: &[f64]) -> Result<f64, InputError> {
    // BEGIN SOLUTION: return w·x + b, using dot (and ? to pass its error on)
    Ok(dot(w, x)? + b)
    // END SOLUTION
}
// ANCHOR_END: predict_features

// ANCHOR: squared_error
/// The squared error of one prediction, the loss of one example:
///
/// ```text
/// ℓ(ŷ, y) = (ŷ − y)²
/// ```
///
/// It is never negative, it is 0 only when the prediction is exact, and it
/// punishes a prediction that is off by 2 four times as much as one that is
/// off by 1.
pub fn squared_error(y_hat: f64, y: f64) -> f64 {
    // BEGIN SOLUTION: return (ŷ − y)²: subtract first, then square
    let error = y_hat - y;
    error * error
    // END SOLUTION
}
// ANCHOR_END: squared_error

// ANCHOR: half_squared_error
/// The squared error with the ½ convention:
///
/// ```text
/// ℓ(ŷ, y) = ½·(ŷ − y)²
/// ```
///
/// The ½ changes no decision (the best line is the same), but it tidies the
/// derivative: the 2 that comes down from the square cancels it,
///
/// ```text
/// dℓ/dŷ = ½ · 2·(ŷ − y) = ŷ − y
/// ```
pub fn half_squared_error(y_hat: f64, y: f64) -> f64 {
    // BEGIN SOLUTION: return ½·(ŷ − y)², using squared_error
    0.5 * squared_error(y_hat, y)
    // END SOLUTION
}
// ANCHOR_END: half_squared_error

// ANCHOR: check_pairs
/// Checks that predictions and targets can be compared pair by pair, and
/// returns the first problem it finds, in this order:
///
/// 1. different lengths: [`InputError::LengthMismatch`], `y_hat` first;
/// 2. no pairs at all: [`InputError::Empty`];
/// 3. a value that is NaN or infinite: [`InputError::NotFinite`] with its
///    index, looking through `y_hat` first and then `y`
///    ([`f64::is_finite`] tells).
pub fn check_pairs(y_hat: &[f64], y: &[f64]) -> Result<(), InputError> {
    // BEGIN SOLUTION: return Err for different lengths, then for empty slices, then for the first value that is not finite; else Ok(())
    if y_hat.len() != y.len() {
        return Err(InputError::LengthMismatch {
            first: Argument::YHat,
            first_len: y_hat.len(),
            second: Argument::Y,
            second_len: y.len(),
        });
    }
    if y.is_empty() {
        return Err(InputError::Empty);
    }
    for (argument, values) in [(Argument::YHat, y_hat), (Argument::Y, y)] {
        if let Some(index) = values.iter().position(|v| !v.is_finite()) {
            return Err(InputError::NotFinite { argument, index, value: values[index] });
        }
    }
    Ok(())
    // END SOLUTION
}
// ANCHOR_END: check_pairs

// ANCHOR: mean_loss
/// The cost of a data set: the mean of a per-example loss over all pairs,
///
/// ```text
/// J = (1/n) · Σᵢ loss(ŷᵢ, yᵢ)
/// ```
///
/// where `n` is the number of pairs. `loss` is any function that scores one
/// prediction against one target, such as [`squared_error`]; call it like any
/// other function: `loss(y_hat[i], y[i])`. The pairs are checked first with
/// [`check_pairs`], and its error is returned as it is.
pub fn mean_loss(
    y_hat: &[f64],
    y: &[f64],
    loss: impl Fn(f64, f64) -> f64,
) -> Result<f64, InputError> {
    // BEGIN SOLUTION: check the pairs with check_pairs, then return the mean of loss(ŷᵢ, yᵢ) over all n pairs
    check_pairs(y_hat, y)?;
    let total: f64 = y_hat.iter().zip(y).map(|(&p, &t)| loss(p, t)).sum();
    let n = y.len() as f64;
    Ok(total / n)
    // END SOLUTION
}
// ANCHOR_END: mean_loss

// ANCHOR: mean_squared_error
/// The mean squared error (MSE), the cost this course minimises:
///
/// ```text
/// MSE = (1/n) · Σᵢ (ŷᵢ − yᵢ)²
/// ```
///
/// Errors as in [`check_pairs`].
pub fn mean_squared_error(y_hat: &[f64], y: &[f64]) -> Result<f64, InputError> {
    // BEGIN SOLUTION: return the mean of the squared errors, using mean_loss and squared_error
    mean_loss(y_hat, y, squared_error)
    // END SOLUTION
}
// ANCHOR_END: mean_squared_error

// ANCHOR: half_mean_squared_error
/// The mean squared error with the ½ convention, exactly half the MSE:
///
/// ```text
/// J = (1/n) · Σᵢ ½·(ŷᵢ − yᵢ)²
/// ```
///
/// Errors as in [`check_pairs`].
pub fn half_mean_squared_error(y_hat: &[f64], y: &[f64]) -> Result<f64, InputError> {
    // BEGIN SOLUTION: return the mean of the half squared errors, using mean_loss and half_squared_error
    mean_loss(y_hat, y, half_squared_error)
    // END SOLUTION
}
// ANCHOR_END: half_mean_squared_error

// ANCHOR: errors
/// What went wrong with the numbers passed to a function of this crate.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum InputError {
    /// Two slices that must pair up have different lengths.
    #[error(
        "{first} has {first_len} values but {second} has {second_len}; they must have the same length, one {} for each {}",
        .first.noun(),
        .second.noun()
    )]
    LengthMismatch { first: Argument, first_len: usize, second: Argument, second_len: usize },

    /// There are no pairs at all, so there is nothing to average.
    #[error(
        "y_hat and y are both empty; a mean over no examples would be 0/0, so pass at least one pair"
    )]
    Empty,

    /// A value is NaN or infinite, and would make the whole loss NaN or infinite.
    #[error(
        "{argument}[{index}] is {value}, but every value must be a finite number; find where it came from (NaN often comes from 0/0, an infinity from an overflow or a training step that diverged)"
    )]
    NotFinite { argument: Argument, index: usize, value: f64 },
}

/// Which argument of a function an [`InputError`] is about, named as in the
/// function's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Argument {
    /// `y_hat`, the predictions ŷ.
    YHat,
    /// `y`, the targets: the true values.
    Y,
    /// `w`, the weights, one for each feature.
    W,
    /// `x`, the features of one example.
    X,
}
// ANCHOR_END: errors

impl Argument {
    /// What one value of this argument is, in words.
    pub fn noun(self) -> &'static str {
        match self {
            Argument::YHat => "prediction",
            Argument::Y => "target",
            Argument::W => "weight",
            Argument::X => "feature",
        }
    }
}

impl fmt::Display for Argument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Argument::YHat => "y_hat",
            Argument::Y => "y",
            Argument::W => "w",
            Argument::X => "x",
        })
    }
}
