//! `cargo workbook autograder`: what Classroom 50 and Gradescope need to
//! grade with this course's grader, and the hidden `autograder run` that
//! their scripts call to grade one submission.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anstream::{eprintln, println};
use anyhow::{Context as _, Result, bail, ensure};
use owo_colors::OwoColorize;
use workbook::engine::{self, Sandbox};
use workbook::grade::platform::{self, Platform, artifact, classroom50, gradescope};
use workbook::grade::{self, Grader, output, submission};
use workbook::util::fs::{TempDir, write_atomic};

use super::Context;

#[derive(clap::Subcommand)]
pub enum Autograder {
    /// Write the Classroom 50 autograder bundle into a folder: autograder.py,
    /// course.tar.gz (this course at its current commit) and runtime.json
    /// (the Rust version and bubblewrap). Put the folder at
    /// CLASSROOM/autograders/ASSIGNMENT/ in your classroom50 repository and
    /// give the assignment runtime.json as its runtime; each submission is
    /// then graded, and its result.json has one test per graded test.
    Classroom50(BuildArgs),
    /// Write the Gradescope autograder zip: setup.sh (installs bubblewrap,
    /// Rust and the course, and builds it), run_autograder (grades
    /// /autograder/submission into /autograder/results/results.json) and
    /// course.tar.gz (this course at its current commit). Upload it as a
    /// programming assignment's autograder.
    Gradescope(BuildArgs),
    /// Grade one submission and write a platform's result file (what the
    /// autograders' scripts run).
    #[command(hide = true)]
    Run(RunArgs),
}

/// The grading settings, baked into an autograder or given to `run`.
#[derive(clap::Args, Clone)]
pub struct Settings {
    /// Only these exercises, e.g. `01,03` (default: all).
    #[arg(long, value_delimiter = ',')]
    exercises: Option<Vec<String>>,
    /// Seconds one test may run.
    #[arg(long, default_value_t = 10)]
    timeout: u64,
    /// Seconds one exercise may take, build included.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    budget: u64,
}

impl Settings {
    fn args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(ids) = &self.exercises {
            args.extend(["--exercises".to_string(), ids.join(",")]);
        }
        args.extend(["--timeout".into(), self.timeout.to_string()]);
        args.extend(["--budget".into(), self.budget.to_string()]);
        args
    }
}

#[derive(clap::Args)]
pub struct BuildArgs {
    /// Where to write: a folder (classroom50) or a .zip file (gradescope).
    #[arg(long)]
    out: PathBuf,
    /// Hidden tests (Gradescope only): DIR/exercise-NN/*.rs and
    /// descriptions.toml, as for `grade --hidden-tests`. Students see a
    /// hidden test's description, once the grades are published.
    #[arg(long)]
    hidden_tests: Option<PathBuf>,
    #[command(flatten)]
    settings: Settings,
}

#[derive(clap::Args)]
pub struct RunArgs {
    #[arg(value_enum)]
    platform: Platform,
    /// The student's submission: a copy of the course or of its exercises/
    /// folder, or a folder holding one .zip or .tar.gz of it.
    #[arg(long, required_unless_present = "prepare")]
    submission: Option<PathBuf>,
    /// Where to write the platform's result file.
    #[arg(long, required_unless_present = "prepare")]
    result: Option<PathBuf>,
    /// Classroom 50: where to write the Release's body (the learner's feedback).
    #[arg(long)]
    release_body: Option<PathBuf>,
    /// Classroom 50: the submission instant (the graded commit's date, UTC ISO 8601).
    #[arg(long, default_value = "")]
    datetime: String,
    #[arg(long)]
    hidden_tests: Option<PathBuf>,
    /// The reference solutions' results, graded when the autograder was
    /// written (its `reference/` folder): the platform then builds only the
    /// exercises a student changed.
    #[arg(long)]
    reference: Option<PathBuf>,
    /// Only build the course and check the reference solutions (the setup step).
    #[arg(long)]
    prepare: bool,
    #[command(flatten)]
    settings: Settings,
}

pub fn exec(ctx: &Context, command: Autograder) -> Result<ExitCode> {
    match command {
        Autograder::Classroom50(args) => build(ctx, Platform::Classroom50, args),
        Autograder::Gradescope(args) => build(ctx, Platform::Gradescope, args),
        Autograder::Run(args) => run(ctx, args),
    }
}

fn build(ctx: &Context, platform: Platform, args: BuildArgs) -> Result<ExitCode> {
    for id in args.settings.exercises.iter().flatten() {
        ctx.exercise(id)?;
    }
    let reference = TempDir::new("autograder-reference")?;
    grade_references(ctx, &args, reference.path())?;
    let spec = artifact::Build {
        root: ctx.root.clone(),
        args: args.settings.args(),
        hidden_tests: args.hidden_tests,
        reference: reference.path().to_path_buf(),
    };
    let dirty = match platform {
        Platform::Classroom50 => {
            let (files, dirty) = artifact::classroom50(&spec, &args.out)?;
            for f in &files {
                println!("Wrote {}", f.display());
            }
            println!(
                "\nPut this folder at CLASSROOM/autograders/ASSIGNMENT/ in your classroom50 repository, and give the assignment its runtime:\n  gh teacher assignment add ORG CLASSROOM ASSIGNMENT --runtime {} …",
                args.out.join("runtime.json").display()
            );
            dirty
        }
        Platform::Gradescope => {
            ensure!(
                args.out.extension().is_some_and(|e| e == "zip"),
                "--out {} must name a .zip file (Gradescope takes the autograder as a zip)",
                args.out.display()
            );
            let dirty = artifact::gradescope(&spec, &args.out)?;
            println!("Wrote {}", args.out.display());
            println!(
                "\nUpload it on the programming assignment's Configure Autograder page (zip file upload, Ubuntu base image)."
            );
            dirty
        }
    };
    if !dirty.is_empty() {
        eprintln!(
            "{} the autograder grades with the course's last commit; these changes are not in it (commit them and write it again): {}",
            "warning:".yellow().bold(),
            dirty.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The grader's options for one submission on a platform.
fn options(
    ctx: &Context,
    settings: &Settings,
    hidden: Option<PathBuf>,
    sandboxed: bool,
) -> grade::Options {
    grade::Options {
        submissions: PathBuf::new(),
        out: ctx.engine.target.join("workbook/autograder"),
        exercises: settings.exercises.clone(),
        jobs: 1,
        timeout: Duration::from_secs(settings.timeout.max(1)),
        hidden_tests: hidden,
        force: false,
        no_sandbox: !sandboxed,
        as_accounts: true,
        budget: Duration::from_secs(settings.budget.max(1)),
    }
}

/// Grades the reference solutions as the platform will, with bubblewrap
/// (when it works here) and without, keeping their results in `into`: the
/// autograder ships them, so that the platform does not build every
/// exercise's reference solution for every submission. Fails if a reference
/// solution does not pass its tests.
fn grade_references(ctx: &Context, args: &BuildArgs, into: &Path) -> Result<()> {
    eprintln!("Grading the reference solutions, as the platform will…");
    for sandboxed in [true, false] {
        if sandboxed && Sandbox::bubblewrap(&ctx.root).is_err() {
            continue;
        }
        let mut options = options(ctx, &args.settings, args.hidden_tests.clone(), sandboxed);
        // The reference solutions are the course's own code: no accounts.
        options.as_accounts = false;
        let cache = options.out.join(".cache");
        let grader = Grader::new(&ctx.root, &ctx.manifest, &options, cache)?;
        for file in grader.reference_results()? {
            let name = file.file_name().context("a cache file has a name")?;
            std::fs::copy(&file, into.join(name))
                .with_context(|| format!("could not copy {}", file.display()))?;
        }
    }
    Ok(())
}

fn run(ctx: &Context, args: RunArgs) -> Result<ExitCode> {
    engine::untrusted_code_supported()?;
    super::grade::stop_on_signals()?;
    let started = Instant::now();
    // Classroom 50's identity first: without it, grading would be wasted.
    let identity = match (args.platform, args.prepare) {
        (Platform::Classroom50, false) => Some(classroom50::Identity::from_env(&args.datetime)?),
        _ => None,
    };
    // On a platform the machine is a throwaway holding only this submission
    // and the public course: grade under bubblewrap when it works there, and
    // say so in the result when it does not.
    let sandboxed = Sandbox::bubblewrap(&ctx.root).is_ok();
    if !sandboxed {
        eprintln!(
            "{} bubblewrap cannot run here: grading without the sandbox (the result says so).",
            "warning:".yellow().bold()
        );
    }
    let options = options(ctx, &args.settings, args.hidden_tests.clone(), sandboxed);
    let cache = options.out.join(".cache");
    if let Some(dir) = &args.reference {
        // Results are kept by the content of the course, the sources and the
        // settings: a shipped result is used only where it is the very same.
        std::fs::create_dir_all(&cache)?;
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("could not read {}", dir.display()))?
        {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "json")
                && let Some(name) = path.file_name()
            {
                std::fs::copy(&path, cache.join(name))?;
            }
        }
    }
    let grader = Grader::new(&ctx.root, &ctx.manifest, &options, cache)?;
    if args.prepare {
        println!("Prepared: the course and its reference solutions are built.");
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(submission), Some(result)) = (&args.submission, &args.result) else {
        bail!("--submission and --result are needed")
    };
    let entry = submission::Entry {
        student: student_name(args.platform),
        path: submission_path(submission)?,
        unusable_name: None,
    };
    let student = grader.grade_entry(&entry, &|| {});
    if engine::stopping() {
        bail!("interrupted: every build and test was stopped, and nothing was written");
    }
    let student = student?;
    let tests = grader.tests();
    let rows = platform::rows(&tests, &student);
    let feedback = output::feedback(&student, &ctx.manifest, grader.banner());
    let text = match args.platform {
        Platform::Classroom50 => {
            let identity = identity.context("Classroom 50's identity was read first")?;
            let value = classroom50::result(&identity, &rows);
            if let Err(why) = classroom50::validate(&value) {
                bail!("the result would be rejected by Classroom 50's collector: {why}");
            }
            if let Some(path) = &args.release_body {
                let body = platform::cap_text(&feedback, 100_000);
                write_atomic(path, body.as_bytes())?;
            }
            serde_json::to_string_pretty(&value)?
        }
        Platform::Gradescope => {
            // The submission's output is always shown: without the hidden
            // tests, which wait for the grades to be published.
            let output = match platform::without_hidden(&tests, &student) {
                None => feedback,
                Some(visible) => format!(
                    "{}\nThe instructor's hidden tests are not counted here: they appear, with their points, once the grades are published.\n",
                    output::feedback(&visible, &ctx.manifest, grader.banner())
                ),
            };
            let value = gradescope::results(&rows, &output, started.elapsed().as_secs());
            if let Err(why) = gradescope::validate(&value) {
                bail!("the results do not follow Gradescope's specification: {why}");
            }
            serde_json::to_string_pretty(&value)?
        }
    };
    write_atomic(result, text.as_bytes())?;
    eprintln!(
        "Graded: {} of {} points{}; wrote {}.",
        student.total,
        student.max,
        if grader.sandboxed() { "" } else { " (without the sandbox)" },
        result.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The student's name for the feedback: Classroom 50's repository owner,
/// else a neutral word (Gradescope knows who submitted).
fn student_name(platform: Platform) -> String {
    let var = |n: &str| std::env::var(n).ok().filter(|v| !v.trim().is_empty());
    match platform {
        Platform::Classroom50 => var("OWNER").or_else(|| var("USERNAME")),
        Platform::Gradescope => None,
    }
    .unwrap_or_else(|| "your submission".to_string())
}

/// The submission to read: the folder itself, or the one archive it holds
/// (a student who uploaded a .zip of the course).
fn submission_path(dir: &Path) -> Result<PathBuf> {
    ensure!(dir.exists(), "the submission {} does not exist", dir.display());
    if !dir.is_dir() || dir.join("exercises").is_dir() {
        return Ok(dir.to_path_buf());
    }
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("could not read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    let archive = |p: &PathBuf| {
        let name = p.file_name().unwrap_or_default().to_string_lossy().to_lowercase();
        name.ends_with(".zip") || name.ends_with(".tar.gz") || name.ends_with(".tgz")
    };
    match entries.as_slice() {
        [one] if archive(one) => Ok(one.clone()),
        _ => Ok(dir.to_path_buf()),
    }
}
