//! Property tests the course's way: a fixed number of random cases from a
//! fixed seed (so every run and every machine checks the same cases), no
//! regression files written, and the smallest failing case in the message.
//!
//! The failure is reported once. While proptest runs the cases (and shrinks a
//! failing one, running it again and again), the panics on the test's thread
//! are kept quiet, so that a function that still calls `todo!()` does not
//! print its message for every case tried; only the smallest failing case's
//! message is shown, at the end.

use std::fmt::Debug;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};

use crate::check::quietly;

/// The hint for a panic inside a property that did not come through
/// [`crate::call`].
const PANICKED: &str = "the input below makes the code panic; read the line the panic names";

/// The number of random cases each property tries.
pub const CASES: u32 = 64;

/// Runs `property` on [`CASES`] random values of `strategy` drawn from
/// `seed`, and fails with the smallest failing case proptest can find. A
/// property returns `Err(message)` (see [`crate::explain`]); it may also
/// panic (through [`crate::call`] or a check), and then fails with the
/// panic's message. Panics inside the property print nothing while the
/// cases run: the failure's message is printed once, by the final panic.
#[track_caller]
pub fn for_all<S>(seed: u64, strategy: S, property: impl Fn(S::Value) -> Result<(), String>)
where
    S: Strategy,
    S::Value: Debug,
{
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        max_shrink_iters: 1024,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let case = |value| match quietly(|| property(value)) {
        Ok(outcome) => outcome.map_err(TestCaseError::fail),
        Err(caught) if caught.is_explained() => Err(TestCaseError::fail(caught.text)),
        Err(caught) => {
            let hint = if caught.is_todo() { "" } else { PANICKED };
            Err(TestCaseError::fail(caught.explain("one case of the property", hint)))
        }
    };
    match runner.run(&strategy, case) {
        Ok(()) => {}
        Err(TestError::Fail(reason, value)) => panic!(
            "{reason}\n(a property checked on {CASES} random cases; this is the smallest failing input proptest found: {value:?})\n"
        ),
        Err(TestError::Abort(reason)) => panic!("proptest gave up: {reason}"),
    }
}
