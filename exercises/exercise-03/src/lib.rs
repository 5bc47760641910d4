//! Exercise 03: gradients (being written).

/// Placeholder until the exercise is written.
pub fn placeholder() -> u8 {
    todo!("placeholder")
}
