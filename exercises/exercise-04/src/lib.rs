//! Exercise 04: the update loop (being written).

/// Placeholder until the exercise is written.
pub fn placeholder() -> u8 {
    todo!("placeholder")
}
