//! `cargo workbook classroom`: a GitHub Classroom autograding workflow, and
//! the hidden `grade-result` that its steps call.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anstream::{eprintln, println};
use anyhow::{Result, ensure};
use workbook::grade::{self, Grader, classroom};
use workbook::util::fs::write_atomic;

use super::Context;

#[derive(clap::Args)]
pub struct Args {
    /// The course's repository on GitHub, `OWNER/NAME`, from which the
    /// pristine tests are checked out.
    #[arg(long)]
    course_repository: String,
    /// The commit or tag of the course to grade with (default: the
    /// current commit of this checkout).
    #[arg(long)]
    course_ref: Option<String>,
    /// Only these exercises, e.g. `01,02` (default: all).
    #[arg(long, value_delimiter = ',')]
    exercises: Option<Vec<String>>,
    /// Where to write .github/workflows/classroom.yml (default: here).
    #[arg(long, default_value = ".")]
    out: PathBuf,
}

pub fn exec(ctx: &Context, args: Args) -> Result<ExitCode> {
    let course_ref = match args.course_ref {
        Some(r) => r,
        None => {
            let out = std::process::Command::new("git")
                .args(["rev-parse", "HEAD"])
                .current_dir(&ctx.root)
                .output()?;
            ensure!(out.status.success(), "not a git checkout: pass --course-ref");
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        }
    };
    let options = grade::Options {
        submissions: PathBuf::new(),
        out: ctx.root.join("target/workbook/classroom"),
        exercises: args.exercises,
        jobs: 1,
        timeout: Duration::from_secs(10),
        hidden_tests: None,
        force: false,
        // Only the reference solutions run here, to list the tests.
        no_sandbox: true,
        budget: Duration::from_secs(60),
    };
    eprintln!("Listing the tests (building the reference solutions)…");
    let grader = Grader::new(&ctx.root, &ctx.manifest, &options, options.out.join(".cache"))?;
    let tests = grader.tests();
    let yaml = classroom::classroom_workflow(
        &args.course_repository,
        &course_ref,
        &tests,
        &grader.exercise_ids(),
    );
    let path = args.out.join(".github/workflows/classroom.yml");
    write_atomic(&path, yaml.as_bytes())?;
    let total: f64 = tests.iter().map(|t| t.points).sum();
    println!("Wrote {} ({} tests, {total} points in all).", path.display(), tests.len());
    Ok(ExitCode::SUCCESS)
}

/// `grade-result OUT STUDENT EXERCISE TEST`.
#[derive(clap::Args)]
pub struct ResultArgs {
    out: PathBuf,
    student: String,
    exercise: String,
    test: String,
}

/// Exit 0 if the test passed, else print its message and exit 1.
pub fn exec_result(args: ResultArgs) -> Result<ExitCode> {
    match classroom::test_result(&args.out, &args.student, &args.exercise, &args.test)? {
        Ok(()) => {
            println!("pass: {}", args.test);
            Ok(ExitCode::SUCCESS)
        }
        Err(message) => {
            println!("{message}");
            Ok(ExitCode::from(1))
        }
    }
}
