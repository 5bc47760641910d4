//! The workbook's root crate: the course manifest, the stubs made from the
//! reference solutions, and the one grading engine that the learner's course
//! map, the course's own tests and the instructor's grader all use.

pub mod backup;
pub mod book;
pub mod engine;
pub mod figures;
pub mod fit;
pub mod grade;
pub mod learner;
pub mod manifest;
pub mod misconception;
pub mod progress;
pub mod sources;
pub mod state;
pub mod stub;
pub mod submission;
pub mod table;
pub mod train;
pub mod watch;
