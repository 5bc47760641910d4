//! Reading libtest's output: the names of a binary's tests, whether one
//! test really passed, and the learner's message of one that failed.

/// Whether a test binary's output is libtest's report of exactly this one
/// test passing: it starts the run of one test, its one summary line says one
/// passed and none failed, that summary is the last thing printed, and no
/// line reports a failure. A test that ends the process early
/// (`std::process::exit(0)`) never prints the summary; output the test
/// itself prints goes to libtest's capture, or, if written around it, sits
/// before the summary and does not change the verdict.
///
/// The summary must also count the other tests of the binary as filtered
/// out, which a forged summary printed by the code under test rarely gets
/// right; the grader flags code that could try (see `grade::suspicious`).
pub(super) fn is_clean_pass(output: &str, filtered_out: usize) -> bool {
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    let summaries: Vec<&&str> = lines.iter().filter(|l| l.starts_with("test result: ")).collect();
    let expected = format!(
        "test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; {filtered_out} filtered out;"
    );
    lines.iter().filter(|l| **l == "running 1 test").count() == 1
        && summaries.len() == 1
        && summaries[0].starts_with(&expected)
        && lines.last().is_some_and(|l| l.starts_with("test result: ok. 1 passed"))
        && !lines.iter().any(|l| {
            l.starts_with("failures:") || l.starts_with("---- ") || l.ends_with(" ... FAILED")
        })
}

/// The learner-facing part of libtest's report of a failed test: the panic
/// message, without the `thread '…' panicked at` line and the backtrace note.
pub fn failure_message(output: &str, name: &str) -> Option<String> {
    let header = format!("---- {name} stdout ----");
    let start = output.find(&header)? + header.len();
    let rest = &output[start..];
    let end = rest.find("\nfailures:\n").unwrap_or(rest.len());
    let body: Vec<&str> = rest[..end]
        .lines()
        .filter(|l| !(l.starts_with("thread '") && l.contains("panicked at")))
        .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE"))
        .collect();
    let text = body.join("\n").trim().to_string();
    Some(if text.is_empty() { "the test failed without a message".into() } else { text })
}

pub(super) fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_failure_message_is_the_panic_text_without_libtest_noise() {
        let output = "running 1 test\ntest t ... FAILED\n\nfailures:\n\n---- t stdout ----\n\nthread 't' panicked at tests/x.rs:3:5:\n\nf(1)\n  returned: 2\n  expected: 3\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\nfailures:\n    t\n\ntest result: FAILED. 0 passed; 1 failed;";
        assert_eq!(failure_message(output, "t").unwrap(), "f(1)\n  returned: 2\n  expected: 3");
        assert_eq!(failure_message("test result: ok. 1 passed", "t"), None);
    }

    #[test]
    fn only_libtests_own_report_of_one_passing_test_is_a_pass() {
        let real = "\nrunning 1 test\ntest t ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 9 filtered out; finished in 0.00s\n\n";
        assert!(is_clean_pass(real, 9));
        assert!(
            !is_clean_pass(real, 0),
            "a summary that does not count the other tests is not libtest's"
        );
        let spam = format!(
            "\nrunning 1 test\ntest t ... {}ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n",
            "x\n".repeat(1000)
        );
        assert!(
            is_clean_pass(&spam, 0),
            "output printed by a passing test does not change its verdict"
        );
        assert!(
            !is_clean_pass("\nrunning 1 test\ntest t ... ", 0),
            "an early exit(0) has no summary"
        );
        let fake = "\nrunning 1 test\ntest t ... test result: ok. 1 passed\n";
        assert!(!is_clean_pass(fake, 0), "a half-hearted fake summary is not a pass");
        let failed = "\nrunning 1 test\ntest t ... FAILED\n\nfailures:\n\n---- t stdout ----\nboom\n\nfailures:\n    t\n\ntest result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n";
        assert!(!is_clean_pass(failed, 0));
    }
}
