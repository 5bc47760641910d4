//! JUnit XML, the report every CI reads: one file per student, one
//! `<testsuite>` per exercise, one `<testcase>` per graded test. A failed
//! test is a `<failure>`, one that ran out of time or crashed an `<error>`,
//! one that never ran (the exercise did not compile, the budget was spent)
//! `<skipped>`; each carries the learner's message. Points, which JUnit has
//! no word for, are each suite's and test's `points` and `max-points`
//! properties.

use std::fmt::Write as _;

use super::{Row, RowStatus};
use crate::grade::gradebook::StudentResult;

/// The JUnit XML of one student's `rows`; `student` gives the name, the
/// flags and an exercise's compiler errors (the suite's `system-out`).
pub fn report(student: &StudentResult, rows: &[Row]) -> String {
    let count =
        |rows: &[&Row], status: RowStatus| rows.iter().filter(|r| r.status == status).count();
    let all: Vec<&Row> = rows.iter().collect();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        escape(&student.student),
        all.len(),
        count(&all, RowStatus::Fail),
        count(&all, RowStatus::Error),
        count(&all, RowStatus::NotRun),
    );
    let mut exercises: Vec<&str> = rows.iter().map(|r| r.exercise.as_str()).collect();
    exercises.dedup();
    for id in exercises {
        let suite: Vec<&Row> = rows.iter().filter(|r| r.exercise == id).collect();
        let points: f64 = suite.iter().map(|r| r.points).sum();
        let max: f64 = suite.iter().map(|r| r.max).sum();
        let _ = writeln!(
            x,
            "  <testsuite name=\"exercise-{id}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            suite.len(),
            count(&suite, RowStatus::Fail),
            count(&suite, RowStatus::Error),
            count(&suite, RowStatus::NotRun),
        );
        let _ = writeln!(
            x,
            "    <properties>\n      <property name=\"points\" value=\"{points}\"/>\n      <property name=\"max-points\" value=\"{max}\"/>\n    </properties>"
        );
        for r in &suite {
            let _ = write!(
                x,
                "    <testcase classname=\"exercise-{id}\" name=\"{}\">\n      <properties><property name=\"points\" value=\"{}\"/><property name=\"max-points\" value=\"{}\"/></properties>\n",
                escape(&r.name),
                r.points,
                r.max
            );
            let first = r.message.lines().next().unwrap_or("");
            let element = match r.status {
                RowStatus::Pass => None,
                RowStatus::Fail => Some("failure"),
                RowStatus::Error => Some("error"),
                RowStatus::NotRun => Some("skipped"),
            };
            if let Some(element) = element {
                let _ = writeln!(
                    x,
                    "      <{element} message=\"{}\">{}</{element}>",
                    escape(first),
                    escape(&r.message)
                );
            }
            x.push_str("    </testcase>\n");
        }
        if let Some(e) = student.exercises.get(id)
            && !e.build_log.is_empty()
        {
            let _ = writeln!(x, "    <system-out>{}</system-out>", escape(&e.build_log));
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}

/// `text` as XML character data or an attribute value: the five special
/// characters escaped, and the characters XML 1.0 cannot hold (most control
/// characters) written as `\u{..}`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_in_a_message_cannot_break_the_xml() {
        assert_eq!(escape("a<b & \"c\"\u{1b}[0m"), "a&lt;b &amp; &quot;c&quot;\\u{1b}[0m");
    }
}
