//! Property tests the course's way: a fixed number of random cases from a
//! fixed seed (so every run and every machine checks the same cases), no
//! regression files written, and the smallest failing case in the message.

use std::fmt::Debug;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};

/// The number of random cases each property tries.
pub const CASES: u32 = 64;

/// Runs `property` on [`CASES`] random values of `strategy` drawn from
/// `seed`, and fails with the smallest failing case proptest can find. A
/// property returns `Err(message)` (see [`crate::explain`]) rather than
/// panicking, so that proptest can shrink the case.
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
    match runner.run(&strategy, |value| property(value).map_err(TestCaseError::fail)) {
        Ok(()) => {}
        Err(TestError::Fail(reason, value)) => panic!(
            "{reason}\n(a property checked on {CASES} random cases; this is the smallest failing input proptest found: {value:?})\n"
        ),
        Err(TestError::Abort(reason)) => panic!("proptest gave up: {reason}"),
    }
}
