//! Checks whose failure messages teach.
//!
//! Every failure reads the same way: the call, what it returned, what was
//! expected (with the tolerance, for [`check_close`]) and the hint, which
//! ends with where to read in the book. Exercise 02's test of a mean squared
//! error that forgot to divide by n:
//!
//! ```text
//! mean_squared_error(&[3.0, 1.0, 6.0, 2.0], &[1.0, 1.0, 3.0, 3.0])
//!   returned: 14.0
//!   expected: 3.5 (within 1e-9 relative)
//!   hint:     you returned the sum of the squared errors, not their mean: divide the sum by n, the number of pairs (see 'Mean squared error' in chapter 2)
//! ```
//!
//! A function that still calls `todo!()` says so instead of showing a bare
//! panic (see [`call`]).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt::{Debug, Display};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

/// How close two floating-point numbers must be to count as equal.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tolerance {
    /// `|got - expected| <= tol`
    Absolute(f64),
    /// `|got - expected| <= tol * max(|expected|, 1)`: relative for large
    /// numbers, absolute near zero.
    Relative(f64),
}

impl Tolerance {
    /// Whether `got` is close enough to `expected`. NaN is never close.
    pub fn accepts(self, got: f64, expected: f64) -> bool {
        if got.is_nan() || expected.is_nan() {
            return false;
        }
        if got == expected {
            return true; // equal infinities, too
        }
        if got.is_infinite() || expected.is_infinite() {
            // Unequal, and no tolerance makes up for an infinity (a relative
            // one would grow to infinity with it and accept anything).
            return false;
        }
        let diff = (got - expected).abs();
        match self {
            Tolerance::Absolute(tol) => diff <= tol,
            Tolerance::Relative(tol) => diff <= tol * expected.abs().max(1.0),
        }
    }
}

impl Display for Tolerance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tolerance::Absolute(t) => write!(f, "within {t:e}"),
            Tolerance::Relative(t) => write!(f, "within {t:e} relative"),
        }
    }
}

/// The course's standard failure message, as text (for a property, whose
/// failures are returned rather than panicked, so that proptest can shrink).
pub fn explain(call: &str, got: impl Display, expected: impl Display, hint: &str) -> String {
    format!("\n{call}\n  returned: {got}\n  expected: {expected}\n  hint:     {hint}\n")
}

/// A number at fixed precision for a snapshot, without a minus sign on
/// zero (`-0.0000` and `0.0000` are the same number, and must not make two
/// machines' snapshots differ).
pub fn fixed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        text.trim_start_matches('-').to_string()
    } else {
        text
    }
}

/// Stops the test with the course's standard failure message.
#[track_caller]
pub fn fail(call: &str, got: impl Display, expected: impl Display, hint: &str) -> ! {
    panic!("{}", explain(call, got, expected, hint))
}

/// Checks that a call returned exactly the `expected` error (compared by
/// `Debug`, since NaN is not equal to itself), and that the error's message
/// mentions each of `mentions`. The hints: `if_ok` when the call returned a
/// value, `if_other_error` when it returned another error, `if_message` when
/// the message lacks a part.
#[track_caller]
pub fn check_error<T: Debug, E: Debug + Display>(
    call: &str,
    got: Result<T, E>,
    expected: E,
    mentions: &[&str],
    if_ok: &str,
    if_other_error: &str,
    if_message: &str,
) {
    match got {
        Ok(value) => fail(call, format!("Ok({value:?})"), format!("Err({expected:?})"), if_ok),
        Err(e) => {
            check(
                format!("{e:?}") == format!("{expected:?}"),
                call,
                format!("Err({e:?})"),
                format!("Err({expected:?})"),
                if_other_error,
            );
            let message = e.to_string();
            for part in mentions {
                check(
                    message.contains(part),
                    call,
                    format!("an error whose message is \"{message}\""),
                    format!("a message that mentions \"{part}\""),
                    if_message,
                );
            }
        }
    }
}

/// Fails with the standard message unless `ok`.
#[track_caller]
pub fn check(ok: bool, call: &str, got: impl Display, expected: impl Display, hint: &str) {
    if !ok {
        fail(call, got, expected, hint)
    }
}

/// Fails unless `got == expected`, printing both with `{:?}`.
#[track_caller]
pub fn check_eq<T: PartialEq + Debug>(call: &str, got: &T, expected: &T, hint: &str) {
    if got != expected {
        fail(call, format!("{got:?}"), format!("{expected:?}"), hint)
    }
}

/// Fails unless `got` is within `tol` of `expected`.
#[track_caller]
pub fn check_close(call: &str, got: f64, expected: f64, tol: Tolerance, hint: &str) {
    if !tol.accepts(got, expected) {
        fail(call, format!("{got:?}"), format!("{expected:?} ({tol})"), hint)
    }
}

/// Runs the learner's code. If it panics, the test fails with a message that
/// names the call, where the panic happened and the hint, instead of a bare
/// panic and its backtrace: a function that still calls `todo!()` is reported
/// as not written yet.
#[track_caller]
pub fn call<T>(call: &str, hint: &str, f: impl FnOnce() -> T) -> T {
    match quietly(f) {
        Ok(value) => value,
        Err(caught) => panic!("{}", caught.explain(call, hint)),
    }
}

/// A panic caught by [`quietly`]: its message, and where it happened
/// (`file:line`) when the panic hook saw it.
pub(crate) struct Caught {
    pub(crate) text: String,
    pub(crate) place: Option<String>,
}

impl Caught {
    /// The course's failure message for this panic, raised by `call`. The
    /// hint for a `todo!()` starts with "replace the todo!() with your code",
    /// and `hint` may then be empty.
    pub(crate) fn explain(&self, call: &str, hint: &str) -> String {
        let Caught { text, place } = self;
        let place = place.as_deref().map(|p| format!(" at {p}")).unwrap_or_default();
        if self.is_todo() {
            let hint = match hint {
                "" => "replace the todo!() with your code".to_string(),
                _ => format!("replace the todo!() with your code; {hint}"),
            };
            format!(
                "\n{call}\n  returned: nothing: the function still calls todo!(){place} ({text})\n  expected: your implementation\n  hint:     {hint}\n"
            )
        } else {
            format!(
                "\n{call}\n  returned: nothing: it panicked{place} with \"{text}\"\n  expected: a value, not a panic\n  hint:     {hint}\n"
            )
        }
    }

    /// Whether the panic is a `todo!()`'s.
    pub(crate) fn is_todo(&self) -> bool {
        self.text.starts_with("not yet implemented")
    }

    /// Whether the panic already carries the course's message (it came from
    /// [`call`], [`fail`] or another check), which then needs no rewording.
    #[cfg(feature = "properties")]
    pub(crate) fn is_explained(&self) -> bool {
        self.text.starts_with('\n') && self.text.contains("\n  hint:     ")
    }
}

/// Runs `f` with this thread's panics kept quiet: the panic hook prints
/// nothing for them (it only notes where they happened), and a panic comes
/// back as [`Caught`] instead of unwinding further. Panics on other threads,
/// and on this one after `f` returns, are printed as usual.
pub(crate) fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, Caught> {
    install_quiet_hook();
    PLACE.with(|p| p.borrow_mut().take());
    let was_quiet = QUIET.with(|q| q.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was_quiet));
    result.map_err(|payload| Caught {
        text: panic_text(payload.as_ref()),
        place: PLACE.with(|p| p.borrow_mut().take()),
    })
}

thread_local! {
    /// Whether this thread is inside [`quietly`] (in [`call`], or running a
    /// property's cases), whose panics are reported by the failure message
    /// instead of the default hook's output.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// Where the last quiet panic happened (`file:line`).
    static PLACE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs, once per test binary, a panic hook that stays silent for panics
/// inside [`quietly`] on the panicking thread (remembering where they
/// happened) and hands every other panic to the hook that was there before.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(|q| q.get()) {
                let place = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
                PLACE.with(|p| *p.borrow_mut() = place);
            } else {
                previous(info)
            }
        }));
    });
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_infinity_is_close_only_to_the_same_infinity() {
        for tol in [Tolerance::Relative(1e-9), Tolerance::Absolute(1e-9)] {
            assert!(tol.accepts(f64::INFINITY, f64::INFINITY), "{tol:?}");
            assert!(!tol.accepts(1e300, f64::INFINITY), "{tol:?}: a finite number is not ∞");
            assert!(!tol.accepts(f64::INFINITY, 1e300), "{tol:?}");
            assert!(!tol.accepts(f64::NEG_INFINITY, f64::INFINITY), "{tol:?}");
        }
    }

    #[test]
    fn relative_tolerance_scales_with_large_numbers() {
        assert!(Tolerance::Relative(1e-9).accepts(1e12 + 1.0, 1e12));
        assert!(!Tolerance::Relative(1e-9).accepts(1.0 + 1e-6, 1.0));
        assert!(!Tolerance::Absolute(1.0).accepts(f64::NAN, 0.0));
        assert!(Tolerance::Absolute(0.0).accepts(f64::INFINITY, f64::INFINITY));
    }

    #[test]
    fn fixed_precision_has_no_negative_zero() {
        assert_eq!(fixed(-0.00001, 4), "0.0000");
        assert_eq!(fixed(-1.23456, 3), "-1.235");
        assert_eq!(fixed(2.5, 1), "2.5");
    }

    #[test]
    fn a_todo_is_reported_as_not_written_yet() {
        let err = catch_unwind(|| call("f()", "see chapter 1", || -> f64 { todo!() }))
            .expect_err("call must fail when the function panics");
        let text = panic_text(err.as_ref());
        assert!(text.contains("still calls todo!()"), "{text}");
        assert!(text.contains("see chapter 1"), "{text}");
    }

    #[test]
    fn a_failure_names_call_result_expectation_and_hint() {
        let err = catch_unwind(|| check_close("f(2)", 3.0, 4.0, Tolerance::Absolute(1e-9), "h"))
            .expect_err("3 is not 4");
        let text = panic_text(err.as_ref());
        for part in ["f(2)", "returned: 3.0", "expected: 4.0", "hint:     h"] {
            assert!(text.contains(part), "missing {part:?} in {text}");
        }
    }
}
