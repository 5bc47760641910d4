//! Small helpers every part of the tool shares: walking and writing files,
//! temporary folders, line ends, and running work on several threads.

pub mod eol;
pub mod fs;
pub mod hash;
pub mod parallel;
