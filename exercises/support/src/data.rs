//! Data the course uses in more than one place.

/// The lecture's house table: size in square feet …
/// (the same numbers as `exercises/exercise-01/data/house_prices.csv`).
pub const HOUSE_SIZES: [f64; 7] = [500.0, 600.0, 700.0, 800.0, 900.0, 1100.0, 1200.0];

/// … and price in lakhs.
pub const HOUSE_PRICES: [f64; 7] = [5.0, 8.0, 9.0, 13.0, 12.0, 18.0, 20.0];

/// Chapter 3's hand-worked example, three points on the line y = 2x + 1
/// (used again in chapters 4 and 5): x …
pub const THREE_X: [f64; 3] = [1.0, 2.0, 3.0];

/// … and y.
pub const THREE_Y: [f64; 3] = [3.0, 5.0, 7.0];
