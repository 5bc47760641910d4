//! The grading engine.
