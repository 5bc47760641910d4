//! A failing property prints its message once: not once for every case
//! proptest tries while it shrinks, then once more at the end.
//!
//! What a test prints goes through the panic hook, out of this test's reach,
//! so each check runs a failing property in a child process (this test
//! binary again, running one of the `child_*` tests, which do nothing unless
//! `SUPPORT_PROPERTY_CHILD` is set) and counts the messages in its output.

#![cfg(feature = "properties")]

use std::panic::catch_unwind;
use std::process::Command;

use proptest::strategy::Strategy;
use support::properties::for_all;
use support::{call, explain};

const CHILD: &str = "SUPPORT_PROPERTY_CHILD";

/// Stands for a learner's function: written for small inputs, and still a
/// `todo!()` from 10 on, so that proptest has a failure to shrink.
fn half_written(x: f64) -> f64 {
    if x < 10.0 { 2.0 * x } else { todo!("double x") }
}

/// Runs the test `name` of this binary in a child process, as `cargo test`
/// runs it (output captured, shown after the failure), and returns what it
/// printed, stdout and stderr together.
fn run_child(name: &str) -> String {
    let exe = std::env::current_exe().expect("the test binary's path");
    let output = Command::new(exe)
        .args(["--exact", name, "--test-threads=1"])
        .env(CHILD, "1")
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the test binary runs again as a child");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!output.status.success(), "the child test {name} must fail; it printed:\n{printed}");
    assert!(
        printed.contains("1 failed"),
        "the child test {name} did not run; it printed:\n{printed}"
    );
    printed
}

/// Checks that each of `once` appears exactly once in what the child test
/// `name` printed, and returns it.
fn printed_once(name: &str, once: &[&str]) -> String {
    let printed = run_child(name);
    for part in once {
        let count = printed.matches(part).count();
        assert_eq!(count, 1, "{part:?} printed {count} times, not once, by {name}:\n{printed}");
    }
    printed
}

fn in_child() -> bool {
    std::env::var_os(CHILD).is_some()
}

#[test]
fn child_todo_inside_call() {
    if !in_child() {
        return;
    }
    for_all(1, (0u32..100).prop_map(f64::from), |x| {
        let got = call(&format!("half_written({x:?})"), "see chapter 0", || half_written(x));
        if got == 2.0 * x { Ok(()) } else { Err(explain("half_written", got, 2.0 * x, "h")) }
    });
}

#[test]
fn a_todo_inside_call_is_reported_once_with_the_smallest_input() {
    let printed = printed_once(
        "child_todo_inside_call",
        &["still calls todo!()", "hint:     replace the todo!() with your code; see chapter 0"],
    );
    assert!(printed.contains("half_written(10.0)"), "not the smallest case:\n{printed}");
    assert!(printed.contains("smallest failing input proptest found: 10.0"), "{printed}");
    assert!(printed.contains("tests/properties.rs:"), "no place for the todo!():\n{printed}");
}

#[test]
fn child_todo_in_the_property() {
    if !in_child() {
        return;
    }
    for_all(2, (0u32..100).prop_map(f64::from), |x| {
        let got = half_written(x);
        if got == 2.0 * x { Ok(()) } else { Err(explain("half_written", got, 2.0 * x, "h")) }
    });
}

#[test]
fn a_todo_called_by_the_property_itself_is_reported_once() {
    let printed = printed_once(
        "child_todo_in_the_property",
        &["still calls todo!()", "hint:     replace the todo!() with your code"],
    );
    assert!(printed.contains("smallest failing input proptest found: 10.0"), "{printed}");
}

#[test]
fn child_other_panic_and_another_thread() {
    if !in_child() {
        return;
    }
    let first = std::sync::Once::new();
    for_all(3, 0usize..100, |n| {
        // Another thread's panic is not this property's: it must be printed.
        first.call_once(|| {
            let _ = std::thread::spawn(|| panic!("another thread's panic")).join();
        });
        let ten = [0.0; 10];
        assert!(ten[n] == 0.0);
        Ok(())
    });
}

#[test]
fn other_panics_are_reported_once_and_other_threads_still_print() {
    let printed = printed_once(
        "child_other_panic_and_another_thread",
        &["another thread's panic", "returned: nothing: it panicked at", "index out of bounds"],
    );
    assert!(printed.contains("smallest failing input proptest found: 10"), "{printed}");
    assert!(printed.contains("tests/properties.rs:"), "no place for the panic:\n{printed}");
}

#[test]
fn child_returned_error() {
    if !in_child() {
        return;
    }
    for_all(4, (0u32..100).prop_map(f64::from), |x| {
        if x < 10.0 { Ok(()) } else { Err(explain(&format!("f({x:?})"), x, 0.0, "too big")) }
    });
}

#[test]
fn a_returned_error_is_reported_once() {
    let printed = printed_once("child_returned_error", &["hint:     too big", "returned:"]);
    assert!(printed.contains("f(10.0)"), "not the smallest case:\n{printed}");
}

#[test]
fn the_final_message_has_the_learner_message_and_the_smallest_input() {
    let err = catch_unwind(|| {
        for_all(5, (0u32..100).prop_map(f64::from), |x| {
            let got = call(&format!("half_written({x:?})"), "see chapter 0", || half_written(x));
            if got == 2.0 * x { Ok(()) } else { Err(explain("half_written", got, 2.0 * x, "h")) }
        })
    })
    .expect_err("the property fails from 10 on");
    let text = err.downcast_ref::<String>().expect("a formatted message");
    for part in [
        "\nhalf_written(10.0)\n",
        "the function still calls todo!()",
        "hint:     replace the todo!() with your code; see chapter 0",
        "smallest failing input proptest found: 10.0",
    ] {
        assert!(text.contains(part), "missing {part:?} in {text}");
    }
}
