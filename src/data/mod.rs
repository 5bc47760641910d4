//! What the course builds, run on a CSV file of the user's own: reading the
//! table, least squares (`fit`) and gradient descent (`train`), both with the
//! reference solutions' code.

pub mod fit;
pub mod model;
pub mod network;
pub mod serve;
pub mod table;
pub mod train;
