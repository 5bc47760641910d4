//! What the grader writes: the gradebook as CSV, every result as JSON, one
//! feedback page per student and the class's report with its figure.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};

use super::gradebook::{
    ExerciseResult, ExerciseStatus, Gradebook, StudentResult, TestOutcome, TestStatus,
};
use super::{AS_ACCOUNTS, NOT_SANDBOXED};

/// What every page says when the grading ran without bubblewrap.
pub const NOT_SANDBOXED_BANNER: &str = "Graded without a sandbox (--no-sandbox): the submissions' code could read and change every file this account can, and use the network.";
/// What every page says when the code ran as unprivileged accounts.
pub const AS_ACCOUNTS_BANNER: &str = "Graded without the sandbox (bubblewrap cannot run on this platform), as unprivileged accounts: the submission's code could not read the instructor's files nor change the grader's, but could see the machine's public files and use the network.";
use crate::course::manifest::{Manifest, short_name};
use crate::util::fs::write_atomic;

/// Writes gradebook.csv, results.json, feedback/STUDENT.md and report.md
/// (with its figure) into `out`, each atomically.
pub fn write(out: &Path, book: &Gradebook, manifest: &Manifest) -> Result<()> {
    std::fs::create_dir_all(out.join("feedback"))
        .with_context(|| format!("could not create {}", out.display()))?;
    write_atomic(&out.join("gradebook.csv"), &gradebook_csv(book)?)?;
    write_atomic(&out.join("results.json"), serde_json::to_string_pretty(book)?.as_bytes())?;
    for s in &book.students {
        let name = format!("{}.md", safe_file_name(&s.student));
        let page = feedback(s, manifest, (!book.sandboxed).then_some(NOT_SANDBOXED_BANNER));
        write_atomic(&out.join("feedback").join(name), page.as_bytes())?;
    }
    let figure = out.join("scores.svg");
    draw_scores(&figure, book)?;
    write_atomic(&out.join("report.md"), report(book).as_bytes())?;
    Ok(())
}

fn chapter(manifest: &Manifest, id: &str) -> String {
    manifest
        .find(id)
        .map(|e| format!("{}/src/{}", manifest.course.book, e.chapter))
        .unwrap_or_default()
}

/// One student's feedback page; `banner`: what it says first when the
/// grading did not run under bubblewrap.
pub fn feedback(s: &StudentResult, manifest: &Manifest, banner: Option<&str>) -> String {
    let mut md = format!("# Feedback for {}\n\n", s.student);
    if let Some(banner) = banner {
        md.push_str(&format!("> **{banner}**\n\n"));
    }
    if let Some(why) = &s.rejected {
        md.push_str(&format!("Your submission could not be graded: {why}.\n\nSubmit a folder, a .zip or a .tar.gz of your copy of the course (or of its `exercises/` folder), without links.\n"));
        return md;
    }
    md.push_str(&format!(
        "Total: **{} of {} points**.\n\n",
        fmt_points(s.total),
        fmt_points(s.max)
    ));
    for flag in s.flags.iter().filter(|f| ![NOT_SANDBOXED, AS_ACCOUNTS].contains(&f.as_str())) {
        md.push_str(&format!("> Note: {flag}.\n\n"));
    }
    for (id, e) in &s.exercises {
        let title = manifest.find(id).map(|x| x.title.as_str()).unwrap_or("");
        md.push_str(&format!(
            "## Exercise {id}, {title}: {} of {} points\n\n",
            fmt_points(e.points),
            fmt_points(e.max)
        ));
        match e.status {
                ExerciseStatus::Missing => md.push_str(&format!("No `exercises/exercise-{id}/src/` in your submission.\n\n")),
                ExerciseStatus::NotStarted => md.push_str("Your files are still the untouched stub: start with the chapter, then `cargo test -p exercise-ID`.\n\n".replace("ID", id).as_str()),
                ExerciseStatus::BuildError | ExerciseStatus::Error => {
                    md.push_str("Your code did not compile, so no test could run. The compiler said:\n\n```text\n");
                    md.push_str(&e.build_log);
                    md.push_str("\n```\n\n");
                }
                ExerciseStatus::Unreadable => {
                    md.push_str(&format!("Your files could not be graded: {}. Save them as UTF-8 text (any editor can) and submit again.\n\n", e.build_log));
                }
                ExerciseStatus::Graded => graded_feedback(&mut md, e),
            }
        if e.points < e.max {
            md.push_str(&format!("Read again: `{}`; run `cargo test -p exercise-{id}` to see these messages yourself.\n\n", chapter(manifest, id)));
        }
    }
    md
}

/// What a graded exercise's feedback says: what passed, what failed with
/// its message, which tests ran out of time (in one list: they share their
/// message) and which were not run.
fn graded_feedback(md: &mut String, e: &ExerciseResult) {
    let count = |status| e.tests.iter().filter(|t| t.status == status).count();
    let passed = count(TestStatus::Pass);
    if passed == e.tests.len() {
        md.push_str("Every test passes. Well done!\n\n");
        return;
    }
    md.push_str(&format!("{passed} of {} tests pass.", e.tests.len()));
    if !e.note.is_empty() {
        let mut note = e.note.clone();
        if let Some(first) = note.get(..1) {
            note.replace_range(..1, &first.to_uppercase());
        }
        md.push_str(&format!(" {note}."));
    }
    let not_run = count(TestStatus::NotRun);
    if not_run > 0 {
        md.push_str(&format!(
            " {not_run} tests were not run: the time this exercise may take was spent (a loop that never ends uses it up)."
        ));
    }
    md.push_str("\n\n");
    // Timeouts share their message: one list (a hidden one shows its description).
    let in_list = |t: &TestOutcome| t.status == TestStatus::Timeout && !t.hidden;
    let slow: Vec<&TestOutcome> = e.tests.iter().filter(|t| in_list(t)).collect();
    let shown = |t: &&TestOutcome| {
        !matches!(t.status, TestStatus::Pass | TestStatus::NotRun) && !in_list(t)
    };
    for t in e.tests.iter().filter(shown) {
        md.push_str(&format!(
            "### `{}` ({})\n\n```text\n{}\n```\n\n",
            short_name(&t.name),
            t.status,
            t.message.trim()
        ));
    }
    if let Some(first) = slow.first() {
        let names: Vec<String> =
            slow.iter().map(|t| format!("`{}`", short_name(&t.name))).collect();
        md.push_str(&format!(
            "### Out of time: {} test{}\n\n{}\n\n```text\n{}\n```\n\n",
            slow.len(),
            if slow.len() == 1 { "" } else { "s" },
            names.join(", "),
            first.message.trim()
        ));
    }
}

/// The class's report: scores, the tests failed most often, rejected and
/// flagged submissions.
pub fn report(book: &Gradebook) -> String {
    let graded: Vec<&StudentResult> =
        book.students.iter().filter(|s| s.rejected.is_none()).collect();
    let mut md = String::from("# Grading report\n\n");
    md.push_str(&format!(
        "{} submissions: {} graded, {} rejected. Exercises: {}.\n\n",
        book.students.len(),
        graded.len(),
        book.students.len() - graded.len(),
        book.exercises.join(", ")
    ));
    if book.sandboxed {
        md.push_str("Every build and every test ran under bubblewrap, seeing only the toolchain, the crate registry, the course and the submission (not this machine's other files), with a fresh home folder, a clean environment, no network, its own processes, a time limit, a memory limit and capped output. Hidden tests were built apart from the submission and never readable by it.\n\n");
    } else {
        md.push_str(&format!("**Warning: {NOT_SANDBOXED_BANNER}** Install `bubblewrap` and grade again with `--force`.\n\n"));
    }
    if !graded.is_empty() {
        let mut totals: Vec<f64> = graded.iter().map(|s| s.total).collect();
        totals.sort_by(f64::total_cmp);
        let mean = totals.iter().sum::<f64>() / totals.len() as f64;
        let median = totals[totals.len() / 2];
        let max: f64 = book.max.values().sum();
        md.push_str(&format!(
            "Mean {} of {max} points, median {}.\n\n",
            fmt_points(mean),
            fmt_points(median)
        ));
        md.push_str("![The class's total scores](scores.svg)\n\n");
        md.push_str("| exercise | mean | max | full marks |\n|---|---|---|---|\n");
        for id in &book.exercises {
            let pts: Vec<f64> =
                graded.iter().filter_map(|s| s.exercises.get(id)).map(|e| e.points).collect();
            let m = book.max.get(id).copied().unwrap_or(0.0);
            let full = pts.iter().filter(|p| **p >= m && m > 0.0).count();
            md.push_str(&format!(
                "| {id} | {} | {m} | {full} of {} |\n",
                fmt_points(pts.iter().sum::<f64>() / pts.len().max(1) as f64),
                pts.len()
            ));
        }
    }
    let most = failed_most_often(&graded);
    if !most.is_empty() {
        md.push_str("\n## The tests failed most often\n\nWhat the class may not have understood yet (the hint names the usual mistake; functions not written yet are left out):\n\n| exercise | test | students | hint |\n|---|---|---|---|\n");
        for f in most.iter().take(15) {
            let hint = f.hint.replace('|', "\\|");
            md.push_str(&format!("| {} | `{}` | {} | {hint} |\n", f.exercise, f.test, f.students));
        }
    }
    let rejected: Vec<&StudentResult> =
        book.students.iter().filter(|s| s.rejected.is_some()).collect();
    if !rejected.is_empty() {
        md.push_str("\n## Rejected submissions\n\n");
        for s in rejected {
            md.push_str(&format!("- {}: {}\n", s.student, s.rejected.as_deref().unwrap_or("")));
        }
    }
    let flagged: Vec<&StudentResult> = book
        .students
        .iter()
        .filter(|s| s.flags.iter().any(|f| ![NOT_SANDBOXED, AS_ACCOUNTS].contains(&f.as_str())))
        .collect();
    if !flagged.is_empty() {
        md.push_str("\n## Flagged submissions\n\n");
        for s in flagged {
            md.push_str(&format!("- {}: {}\n", s.student, s.flags.join("; ")));
        }
    }
    md
}

fn fmt_points(p: f64) -> String {
    let r = (p * 100.0).round() / 100.0;
    if r.fract() == 0.0 { format!("{r:.0}") } else { format!("{r}") }
}

/// A student id as a file name: letters, digits, `-`, `_` and `.` kept.
pub fn safe_file_name(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' })
        .collect();
    if s.is_empty() || s.starts_with('.') { format!("_{s}") } else { s }
}

fn gradebook_csv(book: &Gradebook) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["student".to_string()];
    header.extend(book.exercises.iter().map(|id| format!("exercise_{id}")));
    header.extend(["total".into(), "max".into(), "status".into(), "flags".into()]);
    w.write_record(&header)?;
    for s in &book.students {
        let mut row = vec![s.student.clone()];
        for id in &book.exercises {
            row.push(
                s.exercises.get(id).map(|e| fmt_points(e.points)).unwrap_or_else(|| "0".into()),
            );
        }
        row.push(fmt_points(s.total));
        row.push(fmt_points(s.max));
        row.push(match &s.rejected {
            Some(why) => format!("rejected: {why}"),
            None => "graded".into(),
        });
        row.push(s.flags.join("; "));
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

fn draw_scores(path: &Path, book: &Gradebook) -> Result<()> {
    use support::plot::{Labels, Scale, Series, chart};
    let max: f64 = book.max.values().sum::<f64>().max(1.0);
    let bins = 10usize;
    let mut counts = vec![0.0; bins];
    for s in book.students.iter().filter(|s| s.rejected.is_none()) {
        let i = ((s.total / max * bins as f64).floor() as usize).min(bins - 1);
        counts[i] += 1.0;
    }
    let centres: Vec<f64> = (0..bins).map(|i| (i as f64 + 0.5) * 100.0 / bins as f64).collect();
    let tmp = path.with_extension("svg.tmp");
    chart(
        &tmp,
        Labels { title: "Total scores of the class", x: "score (% of the maximum)", y: "students" },
        Scale::Linear,
        &[Series::Bars {
            label: "students",
            x: &centres,
            y: &counts,
            width: 100.0 / bins as f64 * 0.9,
        }],
    )?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// One test that students failed, with the hint its message gives.
struct Failed {
    exercise: String,
    test: String,
    students: usize,
    hint: String,
}

/// The tests the graded students failed, the most often failed first (ties
/// by exercise and name); tests of functions still unwritten are left out.
fn failed_most_often(graded: &[&StudentResult]) -> Vec<Failed> {
    let unwritten = format!("still calls {}", crate::course::stub::todo_call());
    let mut failures: BTreeMap<(String, String), Failed> = BTreeMap::new();
    for s in graded {
        for (id, e) in &s.exercises {
            let failed = e
                .tests
                .iter()
                .filter(|t| !matches!(t.status, TestStatus::Pass | TestStatus::NotRun));
            for t in failed.filter(|t| !t.message.contains(&unwritten)) {
                let test = short_name(&t.name).to_string();
                let entry = failures.entry((id.clone(), test.clone())).or_insert_with(|| {
                    let hint = t.message.lines().find_map(|l| l.trim().strip_prefix("hint:"));
                    let hint = hint.unwrap_or("").trim().to_string();
                    Failed { exercise: id.clone(), test, students: 0, hint }
                });
                entry.students += 1;
            }
        }
    }
    let mut most: Vec<Failed> = failures.into_values().collect();
    most.sort_by(|a, b| {
        b.students.cmp(&a.students).then((&a.exercise, &a.test).cmp(&(&b.exercise, &b.test)))
    });
    most
}
