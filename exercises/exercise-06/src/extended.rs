//! Sums in extended precision, for the refinement step of `least_squares`.
//!
//! (Already written; chapter 6, "One step of refinement", explains it.)
//!
//! An f64 keeps about 16 significant digits. A *double-double* keeps about
//! 32 by holding a number as the unevaluated sum `hi + lo` of two f64, where
//! `lo` is the part of the number that `hi` had no room for. Two exact tricks
//! make it work:
//!
//! - `two_sum(a, b)` returns `s = a + b` rounded, and the rounding error `e`,
//!   so that `s + e == a + b` exactly (Knuth);
//! - `two_product(a, b)` returns `p = a·b` rounded, and its error
//!   `e = a·b − p`, which a fused multiply-add computes exactly.
//!
//! The residual `y − Xw` of a good fit is the difference of two nearly equal
//! numbers: in plain f64 most of its digits cancel away, and what is left is
//! mostly rounding. Accumulated in double-double, it keeps its digits.

use nalgebra::{DMatrix, DVector};

// ANCHOR: double_double
/// A number held as `hi + lo`, about 32 significant digits.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DoubleDouble {
    hi: f64,
    lo: f64,
}

/// `a + b` rounded, and the exact rounding error: `s + e == a + b`.
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let b_part = s - a;
    let a_part = s - b_part;
    (s, (a - a_part) + (b - b_part))
}

/// `a·b` rounded, and the exact rounding error: `p + e == a·b`.
fn two_product(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

impl DoubleDouble {
    /// The number `value`, exactly.
    pub fn new(value: f64) -> Self {
        DoubleDouble { hi: value, lo: 0.0 }
    }

    /// This number plus `value`.
    pub fn plus(self, value: f64) -> Self {
        let (sum, error) = two_sum(self.hi, value);
        let (hi, lo) = two_sum(sum, error + self.lo);
        DoubleDouble { hi, lo }
    }

    /// This number plus the product `a·b`, with the product's rounding error
    /// kept.
    pub fn plus_product(self, a: f64, b: f64) -> Self {
        let (product, error) = two_product(a, b);
        self.plus(product).plus(error)
    }

    /// The nearest f64.
    pub fn value(self) -> f64 {
        self.hi + self.lo
    }
}
// ANCHOR_END: double_double

// ANCHOR: residual
/// The residual `r = y − Xw`, each entry accumulated in double-double.
pub fn residual(x: &DMatrix<f64>, y: &DVector<f64>, w: &DVector<f64>) -> Vec<DoubleDouble> {
    (0..x.nrows())
        .map(|i| {
            (0..x.ncols())
                .fold(DoubleDouble::new(y[i]), |sum, j| sum.plus_product(-x[(i, j)], w[j]))
        })
        .collect()
}

/// `Xᵀr`, each entry accumulated in double-double and rounded to f64 at the
/// end.
pub fn transpose_times(x: &DMatrix<f64>, r: &[DoubleDouble]) -> DVector<f64> {
    DVector::from_iterator(
        x.ncols(),
        x.column_iter().map(|column| {
            column
                .iter()
                .zip(r)
                .fold(DoubleDouble::default(), |sum, (&xij, ri)| {
                    sum.plus_product(xij, ri.hi).plus_product(xij, ri.lo)
                })
                .value()
        }),
    )
}
// ANCHOR_END: residual

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_sum_and_two_product_are_exact() {
        let (s, e) = two_sum(1.0, 1e-20);
        assert_eq!((s, e), (1.0, 1e-20));
        let a = 1.0 + f64::EPSILON;
        let (p, e) = two_product(a, a);
        // (1 + ε)² = 1 + 2ε + ε²: the ε² is the rounding error.
        assert_eq!(p, 1.0 + 2.0 * f64::EPSILON);
        assert_eq!(e, f64::EPSILON * f64::EPSILON);
    }

    #[test]
    fn a_double_double_keeps_what_an_f64_loses() {
        let sum = DoubleDouble::new(1e16).plus(1.0).plus(-1e16);
        assert_eq!(sum.value(), 1.0);
        assert_eq!(1e16 + 1.0 - 1e16, 0.0);
    }
}
