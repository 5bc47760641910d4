//! `cargo workbook grade`: grade a class's submissions (for instructors).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anstream::{eprintln, println};
use anyhow::{Context as _, Result, bail};
use owo_colors::OwoColorize;
use workbook::engine;
use workbook::grade::{self, Grader, output, platform, submission};
use workbook::util::fs::write_atomic;

use super::Context;
use super::ui::print_json;

#[derive(clap::Args)]
pub struct Args {
    /// The folder of submissions.
    #[arg(required_unless_present = "self_check")]
    submissions: Option<PathBuf>,
    /// Where the gradebook, results, feedback and report go.
    #[arg(long, required_unless_present = "self_check")]
    out: Option<PathBuf>,
    /// Only these exercises, e.g. `01,03` (default: all).
    #[arg(long, value_delimiter = ',')]
    exercises: Option<Vec<String>>,
    /// Submissions graded at the same time (each builds in a slot of its own).
    #[arg(long, default_value_t = 1)]
    jobs: usize,
    /// Seconds one test may run before it counts as timed out.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// Seconds one submission's exercise may take, build included: when they
    /// are spent, the tests not run yet score 0 as "not run", and the
    /// feedback says which function seems to loop. A submission that loops
    /// costs the class at most this per exercise.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    budget: u64,
    /// Run the submissions' code without bubblewrap. Without this flag the
    /// grader refuses to run when bubblewrap is missing; with it, the
    /// gradebook, the report and every feedback page say so. Only on a
    /// machine and account that hold nothing private.
    #[arg(long)]
    no_sandbox: bool,
    /// Extra tests added at grading time only: DIR/exercise-NN/*.rs, and
    /// DIR/exercise-NN/descriptions.toml (`test_name = "what it checks"`),
    /// the only thing feedback says about a failed hidden test.
    #[arg(long)]
    hidden_tests: Option<PathBuf>,
    /// Grade again what an earlier run already graded.
    #[arg(long)]
    force: bool,
    /// Also write one JUnit XML file per student into DIR (STUDENT.xml),
    /// for any CI that reads JUnit reports.
    #[arg(long, value_name = "DIR")]
    junit: Option<PathBuf>,
    /// Grade the reference solutions (must score 100 %) and the untouched
    /// stubs (must score 0 %): a smoke test of the course and the grader.
    #[arg(long)]
    self_check: bool,
}

pub fn exec(ctx: &Context, args: Args) -> Result<ExitCode> {
    engine::untrusted_code_supported()?;
    stop_on_signals()?;
    let out = args.out.clone().unwrap_or_else(|| ctx.root.join("target/workbook/self-check"));
    let result = grade(ctx, args);
    if engine::stopping() {
        eprintln!(
            "{} every build and test the grader had started was stopped, its temporary files removed, and nothing written to {}.\nRun the same command again to continue: what was graded before the interruption is kept in {}.",
            "Interrupted:".yellow().bold(),
            out.display(),
            out.join(".cache").display()
        );
        return Ok(ExitCode::from(130));
    }
    result
}

/// On SIGINT, SIGTERM or SIGHUP, kills every process the grader started;
/// the run then winds down (each step fails as interrupted, cleaning up
/// after itself) and [`exec`] says how to continue. A second signal ends the
/// program at once.
#[cfg(all(unix, not(workbook_portable)))]
pub(super) fn stop_on_signals() -> Result<()> {
    ctrlc::set_handler(|| {
        if engine::stopping() {
            engine::stop_all();
            exit_now();
        }
        eprintln!("\nStopping: killing every build and test the grader started…");
        engine::stop_all();
    })
    .context("could not install the grader's signal handler")
}

/// Never called: the grader refuses to run on the portable path
/// ([`engine::untrusted_code_supported`]), and has no processes to stop.
#[cfg(any(not(unix), workbook_portable))]
pub(super) fn stop_on_signals() -> Result<()> {
    Ok(())
}

#[cfg(all(unix, not(workbook_portable)))]
#[allow(
    clippy::exit,
    reason = "a second signal: the instructor wants out now; the processes are killed"
)]
fn exit_now() -> ! {
    std::process::exit(130)
}

fn grade(ctx: &Context, args: Args) -> Result<ExitCode> {
    let options = grade::Options {
        submissions: args.submissions.unwrap_or_default(),
        out: args.out.unwrap_or_else(|| ctx.root.join("target/workbook/self-check")),
        exercises: args.exercises,
        jobs: args.jobs.max(1),
        timeout: Duration::from_secs(args.timeout.max(1)),
        hidden_tests: args.hidden_tests,
        force: args.force,
        no_sandbox: args.no_sandbox,
        as_accounts: false,
        budget: Duration::from_secs(args.budget.max(1)),
    };
    let out = &options.out;
    if !args.self_check {
        if !options.submissions.is_dir() {
            bail!("{} is not a folder of submissions", options.submissions.display());
        }
        let subs = std::fs::canonicalize(&options.submissions)?;
        std::fs::create_dir_all(out)
            .with_context(|| format!("could not create {}", out.display()))?;
        if std::fs::canonicalize(out)?.starts_with(&subs) {
            bail!("--out {} is inside the submissions folder; put it elsewhere", out.display());
        }
    }
    eprintln!("Preparing: building and checking the reference solutions…");
    let grader = Grader::new(&ctx.root, &ctx.manifest, &options, out.join(".cache"))?;
    if !grader.sandboxed() {
        eprintln!(
            "{} grading without a sandbox (--no-sandbox): the submissions' code can read and change every file this account can; every output says so.",
            "warning:".yellow().bold()
        );
    }
    if args.self_check {
        return self_check(ctx, &grader);
    }
    let entries = submission::entries(&options.submissions)?;
    let steps = (entries.len() * grader.exercise_ids().len()) as u64;
    let bar = indicatif::ProgressBar::new(steps);
    if ctx.json {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} exercises graded, {elapsed} (eta {eta}) {msg}",
        )
        .expect("a valid template"),
    );
    let students = grader.grade_all(&entries, options.jobs, &|student| {
        bar.set_message(student.to_string());
        bar.inc(1);
    });
    bar.finish_and_clear();
    let students = students?;
    let book = grader.gradebook(students);
    grader.write(out, &book)?;
    if let Some(dir) = &args.junit {
        let tests = grader.tests();
        for s in &book.students {
            let xml = platform::junit::report(s, &platform::rows(&tests, s));
            let name = format!("{}.xml", output::safe_file_name(&s.student));
            write_atomic(&dir.join(name), xml.as_bytes())?;
        }
    }
    if ctx.json {
        print_json(&book)?;
    } else {
        for s in &book.students {
            match &s.rejected {
                Some(why) => println!("  {:<24} rejected: {why}", s.student),
                None => println!("  {:<24} {:>6} of {}", s.student, s.total, s.max),
            }
        }
        println!("\nWrote {}/gradebook.csv, results.json, feedback/ and report.md.", out.display());
        if let Some(dir) = &args.junit {
            println!("Wrote a JUnit file per student into {}.", dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn self_check(ctx: &Context, grader: &Grader<'_>) -> Result<ExitCode> {
    let check = grader.self_check()?;
    let ok = check.passed();
    if ctx.json {
        let problems: Vec<String> =
            check.problems.iter().map(|(id, p)| format!("exercise {id}: {p}")).collect();
        println!(
            "{}",
            serde_json::json!({"ok": ok, "reference": check.reference, "stub": check.stub, "problems": problems})
        );
    } else {
        let parts = [
            ("reference solutions", &check.reference, "100 %"),
            ("untouched stubs", &check.stub, "0 %"),
        ];
        for (what, r, want) in parts {
            println!("{what}: {} of {} points (must be {want})", r.total, r.max);
            for (id, e) in &r.exercises {
                println!("  exercise {id}: {} of {} ({})", e.points, e.max, e.status);
            }
        }
        for (id, problem) in &check.problems {
            println!("  {} exercise {id}: {problem}", "PROBLEM".red().bold());
        }
        let verdict = if ok {
            "Self-check passed.".green().bold().to_string()
        } else {
            "Self-check FAILED.".red().bold().to_string()
        };
        println!("{verdict}");
    }
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
