//! The course as data: the manifest, the sources of each exercise (the
//! learner's, the solution's, the stub made from it, a misconception's), and
//! the one check that the course is consistent ([`verify`]).

pub mod manifest;
pub mod misconception;
pub mod mutants;
pub mod sources;
pub mod stub;
pub mod verify;
