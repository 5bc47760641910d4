//! Exercise 04: the update loop (being written).

/// Placeholder until the exercise is written.
pub fn placeholder() -> u8 {
    // BEGIN SOLUTION: placeholder
    1
    // END SOLUTION
}
