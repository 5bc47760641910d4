//! `cargo workbook`: the course's command-line tool.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anstream::{eprintln, println};
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use owo_colors::OwoColorize;

use workbook::engine::{Engine, Outcome, Report, Status};
use workbook::manifest::{self, Exercise, Manifest};
use workbook::progress::{self, Progress};
use workbook::{backup, learner, sources};

/// Your companion through the linear-regression workbook.
///
/// Without a subcommand it shows the course map: every exercise, how far you
/// are with it (computed from your code as it is now), and what to do next.
#[derive(Parser)]
#[command(
    name = "cargo workbook",
    version,
    after_help = "Exit codes: 0 success; 1 an exercise's tests fail; 2 the tool could not do its job (bad input, missing files)."
)]
struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Seconds one of your tests may run before it counts as never returning
    /// (the course map, check and watch).
    #[arg(long, global = true, default_value_t = 20, value_name = "SECONDS")]
    test_timeout: u64,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run one exercise's tests the way the course grades them and show
    /// every result, with the message of each failure.
    ///
    /// The same as `cargo test -p exercise-ID`, but the tests run in a clean
    /// copy of the course (your edits to tests don't count) and each test is
    /// reported on its own line.
    Check {
        /// The exercise: `01`, `1` or `exercise-01`.
        exercise: String,
    },
    /// Show the next hint of an exercise, one step at a time: a nudge first,
    /// then a stronger hint, then where the reference solution is.
    ///
    /// The tool remembers which hints you have seen; run it again for the
    /// next one. `--again` repeats the last one without moving on.
    Hint {
        /// The exercise: `01`, `1` or `exercise-01`.
        exercise: String,
        /// Show every hint step up to the current one again.
        #[arg(long)]
        again: bool,
    },
    /// Start an exercise over: put the untouched stub back.
    ///
    /// Your files are first saved to a timestamped backup in
    /// .workbook/backups/ (git-ignored), whose folder is printed; nothing you
    /// wrote is lost. `--undo` puts the newest backup back.
    Reset {
        /// The exercise: `01`, `1` or `exercise-01`.
        exercise: String,
        /// Restore the files that the newest reset saved.
        #[arg(long)]
        undo: bool,
    },
    /// Show an exercise's reference solution, or with `--diff` how your code
    /// differs from it.
    ///
    /// Try first: before the exercise passes its tests, the tool asks you to
    /// confirm (or pass `--yes`).
    Solution {
        /// The exercise: `01`, `1` or `exercise-01`.
        exercise: String,
        /// Show the differences between your code and the solution.
        #[arg(long)]
        diff: bool,
        /// Do not ask for confirmation.
        #[arg(long, short)]
        yes: bool,
    },
    /// Rerun an exercise's tests every time you save one of its files.
    ///
    /// Shows the first failing test's message and hint after each run, and
    /// moves on to the next exercise when every test passes. Code that does
    /// not compile, panics or never returns is reported, and the watch goes on.
    /// Stop it with Ctrl-C.
    Watch {
        /// The exercise to start with (default: the first one not done).
        exercise: Option<String>,
        /// Poll the files twice a second instead of relying on the file
        /// system's change events (for network drives and some containers;
        /// the tool also switches to polling by itself when events fail).
        #[arg(long)]
        poll: bool,
        /// Plain output: never clear the screen (also the default when the
        /// output is not a terminal).
        #[arg(long)]
        no_tui: bool,
    },
    /// Read the book offline: build it and serve it on localhost, or with
    /// `--build` only write it to target/book.
    ///
    /// Needs the pinned book tools (mdbook and mdbook-katex); the first run
    /// installs them with `scripts/install-book-tools` (a few minutes, once).
    Book {
        /// Open the book in your web browser.
        #[arg(long)]
        open: bool,
        /// Only build the book into target/book (open target/book/index.html).
        #[arg(long, conflicts_with = "open")]
        build: bool,
    },
    /// Grade a class's submissions (for instructors).
    ///
    /// SUBMISSIONS is a folder with one entry per student: a folder, a .zip
    /// or a .tar.gz of the student's copy of the course (or of its
    /// exercises/ folder); the entry's name is the student id. Only the
    /// learner's own sources (exercises/exercise-NN/src/**/*.rs) are taken
    /// from a submission: tests, snapshots, manifests and build files always
    /// come from this course, and a submission that changed them is flagged.
    /// Tests run sandboxed under bubblewrap when it is installed.
    ///
    /// Writes OUT/gradebook.csv, OUT/results.json, OUT/feedback/STUDENT.md and
    /// OUT/report.md. Interrupted and run again, it continues where it stopped
    /// (results are cached by the content of each submission's sources).
    Grade {
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
        /// Extra tests added at grading time only: DIR/exercise-NN/*.rs, and
        /// DIR/exercise-NN/descriptions.toml (`test_name = "what it checks"`),
        /// the only thing feedback says about a failed hidden test.
        #[arg(long)]
        hidden_tests: Option<PathBuf>,
        /// Grade again what an earlier run already graded.
        #[arg(long)]
        force: bool,
        /// Grade the reference solutions (must score 100 %) and the untouched
        /// stubs (must score 0 %): a smoke test of the course and the grader.
        #[arg(long)]
        self_check: bool,
    },
    /// Fit a linear model to your own CSV file by least squares (exercise 06's
    /// reference solver).
    ///
    /// The file's first line names the columns; every other line holds one
    /// number per column. The target is the last column unless --target
    /// names another; every other column is a feature. Prints the intercept,
    /// the weights, R² and the residual standard deviation.
    Fit {
        /// The CSV file.
        data: PathBuf,
        /// The column to predict (default: the last one).
        #[arg(long)]
        target: Option<String>,
        /// Fit a model through the origin (no intercept b).
        #[arg(long)]
        no_intercept: bool,
        /// How to solve: QR with refinement (accurate, the default), the
        /// normal equations (fast, loses twice the digits), or the SVD.
        #[arg(long, value_parser = ["qr", "normal", "svd"], default_value = "qr")]
        solver: String,
    },
    /// Train a linear model on your own CSV file by gradient descent, with
    /// exercise 05's torch.optim-style optimizers.
    ///
    /// The file's first line names the columns; the target is the last column
    /// unless --target names another; every other column is a feature. The
    /// parameters start at zero (or --init random) and every row trains; the
    /// run stops early when the loss falls below --stop-below. Prints the
    /// weights and writes a plot of the loss per epoch; with --json, every
    /// optimizer step: the loss before it and the parameters after it.
    Train {
        /// The CSV file.
        data: PathBuf,
        /// sgd (torch.optim.SGD), adam (torch.optim.Adam) or adamw (torch.optim.AdamW).
        #[arg(long, value_parser = ["sgd", "adam", "adamw"])]
        optimizer: String,
        /// The learning rate (default 0.01 for sgd, 0.001 for adam and adamw).
        #[arg(long)]
        lr: Option<f64>,
        /// SGD's momentum μ.
        #[arg(long, default_value_t = 0.0)]
        momentum: f64,
        /// SGD's dampening τ.
        #[arg(long, default_value_t = 0.0)]
        dampening: f64,
        /// SGD with Nesterov momentum.
        #[arg(long)]
        nesterov: bool,
        /// The weight decay λ (default 0; 0.01 for adamw, as torch's).
        #[arg(long)]
        weight_decay: Option<f64>,
        /// Adam's β₁,β₂, e.g. `0.9,0.999`.
        #[arg(long, value_parser = parse_betas, default_value = "0.9,0.999")]
        betas: (f64, f64),
        /// Adam's ε.
        #[arg(long, default_value_t = 1e-8)]
        eps: f64,
        /// Adam with AMSGrad.
        #[arg(long)]
        amsgrad: bool,
        /// The loss: mse, or half-mse (½·MSE, whose gradient has no factor 2).
        #[arg(long, value_parser = ["mse", "half-mse"], default_value = "mse")]
        loss: String,
        /// The most epochs to run.
        #[arg(long, default_value_t = 100)]
        epochs: usize,
        /// Examples per step (default: all of them, batch gradient descent;
        /// 1 is stochastic gradient descent).
        #[arg(long)]
        batch_size: Option<usize>,
        /// The seed of the generator that shuffles every epoch (and draws --init random).
        #[arg(long, default_value_t = 100)]
        seed: u64,
        /// Start from zeros, or from random numbers like torch.nn.Linear's.
        #[arg(long, value_parser = ["zeros", "random"], default_value = "zeros")]
        init: String,
        /// Stop when the loss falls below this (the lecture's rule; 0 turns it off).
        #[arg(long, default_value_t = 1e-4)]
        stop_below: f64,
        /// The column to predict (default: the last one).
        #[arg(long)]
        target: Option<String>,
        /// Fit a model through the origin (no intercept b).
        #[arg(long)]
        no_intercept: bool,
        /// Where to write the plot of the loss per epoch (default: target/workbook/train-loss.svg).
        #[arg(long)]
        plot: Option<PathBuf>,
    },
    /// Draw the chapter's figures with your own code, next to the same
    /// figures drawn by the reference solution.
    ///
    /// Runs the exercise's `examples/plot.rs` twice, with your code and with
    /// the reference solution, and writes both sets of SVG files and an
    /// index.html that shows them side by side into the folder it names.
    Plot {
        /// The exercise: `01`, `1` or `exercise-01`.
        exercise: String,
        /// Where to write the figures (default: target/workbook/plots/exercise-ID).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write a GitHub Classroom autograding workflow (for instructors).
    ///
    /// Each student's push is graded by this same grader on GitHub's runners,
    /// with the course's pristine tests (checked out from the course's
    /// repository) and one autograding step per test, worth the manifest's
    /// points. Put the written .github/ folder into the assignment's template
    /// repository.
    Classroom {
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
    },
    /// Exit 0 if a test passed in a grading run, else print its message and
    /// exit 1 (used by the Classroom workflow).
    #[command(hide = true)]
    GradeResult { out: PathBuf, student: String, exercise: String, test: String },
    /// Redraw every figure of the book from the reference solutions into
    /// book/src/figures/ (deterministic: the same code gives the same files;
    /// the book's tests fail when a committed figure is stale).
    Figures,
    /// Tools for the course's authors.
    #[command(subcommand, hide = true)]
    Dev(Dev),
}

#[derive(Subcommand)]
enum Dev {
    /// Write every exercise's stub, made from its reference solution, into
    /// exercises/exercise-ID/src (files that differ are backed up first).
    SyncStubs {
        /// Only this exercise (default: all).
        exercise: Option<String>,
    },
    /// Check one exercise the way tests/course.rs does, through the grading
    /// engine: the stub fails every test, the solution passes every test,
    /// and each misconception fails a test whose message contains its hint.
    Verify {
        /// The exercise: `01`, `1` or `exercise-01`.
        exercise: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{} {e:#}", "error:".red().bold());
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let root = manifest::find_root(&std::env::current_dir()?)?;
    let manifest = Manifest::load(&root)?;
    let mut engine = Engine::new(&root);
    engine.test_timeout = std::time::Duration::from_secs(cli.test_timeout.max(1));
    match cli.command {
        None => course_map(&root, &manifest, &engine, cli.json),
        Some(Command::Check { exercise }) => check(&root, &manifest, &engine, &exercise, cli.json),
        Some(Command::Hint { exercise, again }) => {
            hint(&root, find(&manifest, &exercise)?, again, cli.json)
        }
        Some(Command::Reset { exercise, undo }) => {
            reset(&root, find(&manifest, &exercise)?, undo, cli.json)
        }
        Some(Command::Solution { exercise, diff, yes }) => {
            solution(&root, &engine, find(&manifest, &exercise)?, diff, yes, cli.json)
        }
        Some(Command::Watch { exercise, poll, no_tui }) => {
            watch(&root, &manifest, &engine, exercise, poll, no_tui)
        }
        Some(Command::Book { open, build }) => {
            let tools = match workbook::book::find(&root) {
                Ok(tools) => tools,
                Err(why) => {
                    eprintln!(
                        "{why:#}\nInstalling them now with scripts/install-book-tools (a few minutes, once)…"
                    );
                    let status = std::process::Command::new("bash")
                        .arg(root.join("scripts/install-book-tools"))
                        .current_dir(&root)
                        .status()
                        .context("could not run scripts/install-book-tools")?;
                    anyhow::ensure!(
                        status.success(),
                        "scripts/install-book-tools failed; see its output above"
                    );
                    workbook::book::find(&root)?
                }
            };
            let mut cmd = tools.mdbook(&root);
            if build {
                cmd.args(["build", &manifest.course.book]);
            } else {
                cmd.args(["serve", &manifest.course.book]);
                if open {
                    cmd.arg("--open");
                }
            }
            let status = cmd.status().context("could not run mdbook")?;
            if build && status.success() {
                println!("The book is in target/book; open target/book/index.html in a browser.");
            }
            Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::from(2) })
        }
        Some(Command::Grade {
            submissions,
            out,
            exercises,
            jobs,
            timeout,
            hidden_tests,
            force,
            self_check,
        }) => {
            let options = workbook::grade::Options {
                submissions: submissions.unwrap_or_default(),
                out: out.unwrap_or_else(|| root.join("target/workbook/self-check")),
                exercises,
                jobs: jobs.max(1),
                timeout: std::time::Duration::from_secs(timeout.max(1)),
                hidden_tests,
                force,
            };
            grade(&root, &manifest, &options, self_check, cli.json)
        }
        Some(Command::Classroom { course_repository, course_ref, exercises, out }) => {
            let course_ref = match course_ref {
                Some(r) => r,
                None => {
                    let out = std::process::Command::new("git")
                        .args(["rev-parse", "HEAD"])
                        .current_dir(&root)
                        .output()?;
                    anyhow::ensure!(out.status.success(), "not a git checkout: pass --course-ref");
                    String::from_utf8_lossy(&out.stdout).trim().to_string()
                }
            };
            let options = workbook::grade::Options {
                submissions: PathBuf::new(),
                out: root.join("target/workbook/classroom"),
                exercises,
                jobs: 1,
                timeout: std::time::Duration::from_secs(10),
                hidden_tests: None,
                force: false,
            };
            eprintln!("Listing the tests (building the reference solutions)…");
            let grader = workbook::grade::Grader::new(
                &root,
                &manifest,
                &options,
                options.out.join(".cache"),
            )?;
            let tests = grader.tests();
            let yaml = workbook::grade::classroom_workflow(
                &course_repository,
                &course_ref,
                &tests,
                &grader.exercise_ids(),
            );
            let path = out.join(".github/workflows/classroom.yml");
            workbook::state::write_atomic(&path, yaml.as_bytes())?;
            let total: f64 = tests.iter().map(|t| t.2).sum();
            println!("Wrote {} ({} tests, {total} points in all).", path.display(), tests.len());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::GradeResult { out, student, exercise, test }) => {
            match workbook::grade::test_result(&out, &student, &exercise, &test)? {
                Ok(()) => {
                    println!("pass: {test}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(message) => {
                    println!("{message}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Some(Command::Train {
            data,
            optimizer,
            lr,
            momentum,
            dampening,
            nesterov,
            weight_decay,
            betas,
            eps,
            amsgrad,
            loss,
            epochs,
            batch_size,
            seed,
            init,
            stop_below,
            target,
            no_intercept,
            plot,
        }) => {
            let options = workbook::train::Options {
                optimizer: workbook::train::optimizer_config(
                    &optimizer,
                    lr,
                    momentum,
                    dampening,
                    nesterov,
                    weight_decay,
                    betas,
                    eps,
                    amsgrad,
                ),
                criterion: if loss == "half-mse" {
                    solution_05::Criterion::HalfMse
                } else {
                    solution_05::Criterion::Mse
                },
                target,
                intercept: !no_intercept,
                epochs,
                batch_size,
                seed,
                random_init: init == "random",
                stop_below,
            };
            train(&root, &data, &options, plot, cli.json)
        }
        Some(Command::Plot { exercise, out }) => {
            plot(&root, &engine, find(&manifest, &exercise)?, out, cli.json)
        }
        Some(Command::Fit { data, target, no_intercept, solver }) => {
            let summary = workbook::fit::fit(
                &data,
                target.as_deref(),
                !no_intercept,
                workbook::fit::solver(&solver),
            )?;
            if cli.json {
                println!("{}", serde_json::to_string(&summary)?);
            } else {
                print!("{}", workbook::fit::describe(&summary));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Figures) => {
            for path in workbook::figures::render_all(&root)? {
                println!("wrote {}", path.strip_prefix(&root).unwrap_or(&path).display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Dev(Dev::SyncStubs { exercise })) => {
            let only =
                exercise.map(|key| find(&manifest, &key).map(|e| e.id.clone())).transpose()?;
            sync_stubs(&root, &manifest, only.as_deref())
        }
        Some(Command::Dev(Dev::Verify { exercise })) => {
            verify(&root, &engine, find(&manifest, &exercise)?)
        }
    }
}

fn find<'a>(manifest: &'a Manifest, key: &str) -> Result<&'a Exercise> {
    manifest.find(key).with_context(|| {
        let ids: Vec<&str> = manifest.exercises.iter().map(|e| e.id.as_str()).collect();
        format!("there is no exercise \"{key}\"; the course has {}", ids.join(", "))
    })
}

fn course_map(root: &Path, manifest: &Manifest, engine: &Engine, json: bool) -> Result<ExitCode> {
    let mut rows = Vec::new();
    for ex in &manifest.exercises {
        if !json {
            eprint_status(&format!("checking exercise {}…", ex.id));
        }
        rows.push((ex, progress::of(engine, root, ex)?));
    }
    if !json {
        eprint_status("");
    }
    if json {
        let value: Vec<_> = rows
            .iter()
            .map(|(ex, p)| serde_json::json!({"id": ex.id, "title": ex.title, "chapter": ex.chapter, "progress": p}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}\n", manifest.course.title.bold());
    let width = rows.iter().map(|(e, _)| e.title.chars().count()).max().unwrap_or(0);
    let book = Path::new(&manifest.course.book).join("src");
    for (ex, p) in &rows {
        let label = p.label();
        let label = match p {
            Progress::Done { .. } => format!("{}", label.green()),
            Progress::NotStarted => format!("{}", label.dimmed()),
            Progress::Working { .. } => format!("{}", label.yellow()),
            Progress::DoesNotCompile { .. } | Progress::Missing { .. } => {
                format!("{}", label.red())
            }
        };
        let pad = 22usize.saturating_sub(p.label().chars().count());
        println!(
            "  {}  {:<width$}  {label}{}  {}",
            ex.id.bold(),
            ex.title,
            " ".repeat(pad),
            format!("chapter: {}", book.join(&ex.chapter).display()).dimmed()
        );
    }
    println!();
    match rows.iter().find(|(_, p)| !p.is_done()) {
        None => {
            println!("{}", "Every exercise passes all its tests. Well done!".green().bold());
            println!(
                "The book goes on after the exercises: see {}.",
                book.join("SUMMARY.md").display()
            );
        }
        Some((ex, p)) => {
            println!("{} exercise {}, {}", "Next:".bold(), ex.id, ex.title.bold());
            println!(
                "  1. Read the chapter: {} (rendered: `cargo workbook book --open`)",
                book.join(&ex.chapter).display()
            );
            println!("  2. Edit {}", ex.dir().join("src").join("lib.rs").display());
            println!("  3. Run  {}", format!("cargo test -p {}", ex.package()).cyan());
            match p {
                Progress::Working { report, .. } => show_first_failure(report),
                Progress::DoesNotCompile { report } => show_build_error(report),
                Progress::Missing { problem } => {
                    println!("\n{} {problem}", "Problem:".red().bold())
                }
                _ => {}
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn eprint_status(text: &str) {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K{text}");
    }
}

fn show_first_failure(report: &Report) {
    if let Some(t) = report.first_failure() {
        println!(
            "\nThe first test that does not pass yet is {}:",
            manifest::short_name(&t.name).bold()
        );
        for line in t.message.lines() {
            println!("    {line}");
        }
    }
}

fn show_build_error(report: &Report) {
    if let Outcome::BuildFailed { diagnostics } = &report.outcome {
        println!("\nYour code does not compile yet. The compiler says:\n");
        for line in diagnostics.lines().take(40) {
            println!("    {line}");
        }
    }
}

fn check(
    root: &Path,
    manifest: &Manifest,
    engine: &Engine,
    key: &str,
    json: bool,
) -> Result<ExitCode> {
    let ex = find(manifest, key)?;
    let files = sources::learner(root, ex)?;
    let report = engine.run(ex, &files)?;
    let code = if report.all_passed() { ExitCode::SUCCESS } else { ExitCode::from(1) };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(code);
    }
    println!("{} {}\n", format!("Exercise {}:", ex.id).bold(), ex.title);
    match &report.outcome {
        Outcome::BuildFailed { .. } => show_build_error(&report),
        Outcome::Tested { tests } => {
            for t in tests {
                let mark = match t.status {
                    Status::Passed => format!("{}", "pass".green()),
                    Status::Failed => format!("{}", "FAIL".red()),
                    Status::TimedOut => format!("{}", "TIME".red()),
                    Status::Crashed => format!("{}", "CRASH".red()),
                };
                println!("  {mark}  {}", manifest::short_name(&t.name));
            }
            let (got, max) = report.points(ex);
            println!(
                "\n{} of {} tests pass ({got} of {max} points).",
                report.passed(),
                report.total()
            );
            if report.all_passed() {
                println!(
                    "{}",
                    "Exercise done. Run `cargo workbook` to see what comes next.".green()
                );
            } else {
                show_first_failure(&report);
            }
        }
    }
    Ok(code)
}

fn sync_stubs(root: &Path, manifest: &Manifest, only: Option<&str>) -> Result<ExitCode> {
    for ex in manifest.exercises.iter().filter(|e| only.is_none_or(|id| e.id == id)) {
        let stub = sources::stub(root, ex)?;
        let current = sources::learner(root, ex).unwrap_or_default();
        if sources::same(&stub, &current) {
            continue;
        }
        if !current.is_empty() {
            let saved = backup::save(root, &ex.package(), &current, backup::Reason::Sync)?;
            println!("exercise {}: saved the previous files to {}", ex.id, saved.display());
        }
        learner::write_sources(root, ex, &stub)?;
        println!("exercise {}: stub written to {}", ex.id, ex.dir().join("src").display());
    }
    Ok(ExitCode::SUCCESS)
}

fn hint(root: &Path, ex: &Exercise, again: bool, json: bool) -> Result<ExitCode> {
    let steps = learner::hint_steps(ex);
    let shown: Vec<(usize, String)> = if again {
        let (st, warning) = workbook::state::load(root)?;
        warn(warning);
        let n = st.hints_shown.get(&ex.id).copied().unwrap_or(0).max(1).min(steps.len());
        steps.iter().take(n).cloned().enumerate().map(|(i, t)| (i + 1, t)).collect()
    } else {
        let (h, warning) = learner::next_hint(root, ex)?;
        warn(warning);
        vec![(h.step, h.text)]
    };
    if json {
        let v: Vec<_> = shown
            .iter()
            .map(|(i, t)| serde_json::json!({"step": i, "of": steps.len(), "text": t}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    for (i, text) in &shown {
        println!(
            "{} {}",
            format!("Exercise {}, hint {i} of {}:", ex.id, steps.len()).bold(),
            ex.title
        );
        println!("  {text}\n");
    }
    if let Some((i, _)) = shown.last()
        && *i < steps.len()
    {
        println!(
            "{}",
            format!("Still stuck? `cargo workbook hint {}` shows the next step.", ex.id).dimmed()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn warn(warning: Option<String>) {
    if let Some(w) = warning {
        eprintln!("{} {w}", "warning:".yellow().bold());
    }
}

fn reset(root: &Path, ex: &Exercise, undo: bool, json: bool) -> Result<ExitCode> {
    let src = ex.dir().join("src");
    if undo {
        let u = learner::undo(root, ex)?;
        if json {
            println!("{}", serde_json::json!({"restored": u.restored, "saved": u.saved}));
        } else {
            println!("Put back your files from {} into {}.", u.restored.display(), src.display());
            if let Some(saved) = u.saved {
                println!("The files they replaced were saved to {}.", saved.display());
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    match learner::reset(root, ex)? {
        learner::Reset::AlreadyStub => {
            if json {
                println!("{}", serde_json::json!({"reset": false, "reason": "already the stub"}));
            } else {
                println!("{} already holds the untouched stub; nothing to reset.", src.display());
            }
        }
        learner::Reset::Done { backup } => {
            if json {
                println!("{}", serde_json::json!({"reset": true, "backup": backup}));
            } else {
                println!("Saved your files to {}", backup.display());
                println!("and put the stub of exercise {} back into {}.", ex.id, src.display());
                println!(
                    "Changed your mind? `cargo workbook reset --undo {}` restores them.",
                    ex.id
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn solution(
    root: &Path,
    engine: &Engine,
    ex: &Exercise,
    diff: bool,
    yes: bool,
    json: bool,
) -> Result<ExitCode> {
    if !yes {
        let p = progress::of(engine, root, ex)?;
        if !p.is_done() {
            use std::io::{BufRead, IsTerminal, Write};
            let why = format!(
                "Exercise {} is not done yet ({}). You learn most by trying first: `cargo workbook hint {}` gives a hint in steps.",
                ex.id,
                p.label(),
                ex.id
            );
            if !std::io::stdin().is_terminal() {
                anyhow::bail!(
                    "{why}
To see the solution anyway, pass --yes."
                );
            }
            print!(
                "{why}
Show the solution anyway? [y/N] "
            );
            std::io::stdout().flush()?;
            let mut answer = String::new();
            std::io::stdin().lock().read_line(&mut answer)?;
            if !matches!(answer.trim(), "y" | "Y" | "yes") {
                println!("Good call. Keep going!");
                return Ok(ExitCode::SUCCESS);
            }
        }
    }
    let solution = learner::solution_for_reading(root, ex)?;
    if !diff {
        if json {
            println!("{}", serde_json::to_string_pretty(&solution)?);
        } else {
            for (rel, text) in &solution {
                println!(
                    "{}
",
                    format!("// {}", ex.solution_dir().join("src").join(rel).display()).bold()
                );
                println!("{text}");
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mine = sources::learner(root, ex)?;
    let mut names: Vec<&PathBuf> = solution.keys().chain(mine.keys()).collect();
    names.sort();
    names.dedup();
    let mut out = String::new();
    for rel in names {
        let a = mine.get(rel).map(String::as_str).unwrap_or("");
        let b = solution.get(rel).map(String::as_str).unwrap_or("");
        let d = similar::TextDiff::from_lines(a, b);
        let mine_name = ex.dir().join("src").join(rel).display().to_string();
        let their_name = ex.solution_dir().join("src").join(rel).display().to_string();
        out.push_str(
            &d.unified_diff().context_radius(3).header(&mine_name, &their_name).to_string(),
        );
    }
    if json {
        println!("{}", serde_json::json!({"diff": out}));
    } else if out.is_empty() {
        println!("Your code is the same as the reference solution.");
    } else {
        for line in out.lines() {
            if line.starts_with('+') && !line.starts_with("+++") {
                println!("{}", line.green());
            } else if line.starts_with('-') && !line.starts_with("---") {
                println!("{}", line.red());
            } else if line.starts_with("@@") {
                println!("{}", line.cyan());
            } else {
                println!("{line}");
            }
        }
        println!(
            "
{}",
            "Lines with - are yours; lines with + are the solution's.".dimmed()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn watch(
    root: &Path,
    manifest: &Manifest,
    engine: &Engine,
    exercise: Option<String>,
    poll: bool,
    no_tui: bool,
) -> Result<ExitCode> {
    use std::io::IsTerminal;
    let start = match exercise {
        Some(key) => {
            let ex = find(manifest, &key)?;
            manifest.exercises.iter().position(|e| e.id == ex.id).expect("found in the manifest")
        }
        None => {
            let mut first = manifest.exercises.len();
            for (i, ex) in manifest.exercises.iter().enumerate() {
                if !progress::of(engine, root, ex)?.is_done() {
                    first = i;
                    break;
                }
            }
            first
        }
    };
    if start == manifest.exercises.len() {
        println!("{}", "Every exercise already passes all its tests. Nothing to watch.".green());
        return Ok(ExitCode::SUCCESS);
    }
    let mut screen =
        WatchScreen { clear: !no_tui && std::io::stdout().is_terminal(), keep_screen: false };
    let options =
        workbook::watch::Options { poll, debounce: std::time::Duration::from_millis(250) };
    workbook::watch::run(root, manifest, engine, start, &options, &mut screen)?;
    println!("{}", "Every exercise passes all its tests. Well done!".green().bold());
    Ok(ExitCode::SUCCESS)
}

struct WatchScreen {
    clear: bool,
    /// Set after an exercise was finished, so its "done" message stays on
    /// screen above the next exercise's first run.
    keep_screen: bool,
}

impl workbook::watch::Screen for WatchScreen {
    fn running(&mut self, ex: &Exercise) {
        if self.clear && !self.keep_screen {
            print!("\x1b[2J\x1b[H");
        }
        self.keep_screen = false;
        println!("{} exercise {}, {}…", "Testing".bold(), ex.id, ex.title);
    }

    fn report(&mut self, ex: &Exercise, report: &Report) {
        match &report.outcome {
            Outcome::BuildFailed { .. } => show_build_error(report),
            Outcome::Tested { .. } => {
                let line = format!("{} of {} tests pass.", report.passed(), report.total());
                if report.all_passed() {
                    println!("{}", line.green());
                } else {
                    println!("{}", line.yellow());
                    show_first_failure(report);
                }
            }
        }
        let _ = ex;
    }

    fn error(&mut self, ex: &Exercise, error: &anyhow::Error) {
        println!(
            "{} could not run the tests of exercise {}: {error:#}",
            "error:".red().bold(),
            ex.id
        );
    }

    fn waiting(&mut self, ex: &Exercise, polling: bool) {
        let how = if polling { " (polling)" } else { "" };
        println!(
            "\n{}",
            format!(
                "Watching {}{how}: save a file to test again. Ctrl-C stops.",
                ex.dir().join("src").display()
            )
            .dimmed()
        );
    }

    fn moving_on(&mut self, done: &Exercise, next: Option<&Exercise>) {
        self.keep_screen = true;
        println!("{}", format!("Exercise {} is done!", done.id).green().bold());
        if let Some(next) = next {
            println!("On to exercise {}, {}: read {} first.", next.id, next.title, next.chapter);
        }
    }
}

fn verify(root: &Path, engine: &Engine, ex: &Exercise) -> Result<ExitCode> {
    let mut ok = true;
    let mut bad = |what: String| {
        ok = false;
        println!("  {} {what}", "PROBLEM".red().bold());
    };
    let stub = sources::stub(root, ex)?;
    if !sources::same(&stub, &sources::learner(root, ex).unwrap_or_default()) {
        bad(format!(
            "{}/src is not the stub made from the solution: run `cargo workbook dev sync-stubs {}`",
            ex.dir().display(),
            ex.id
        ));
    }
    let report = engine.run(ex, &stub)?;
    println!("stub: {} of {} tests pass (must be 0)", report.passed(), report.total());
    if let Outcome::BuildFailed { diagnostics } = &report.outcome {
        bad(format!("the stub does not compile:\n{diagnostics}"));
    }
    for t in report.tests() {
        if t.status == Status::Passed {
            bad(format!("{} passes on the stub", t.name));
        } else if !(t.message.contains(&workbook::stub::todo_call()) || t.message.contains("hint:"))
        {
            bad(format!("{} fails on the stub without a learner message: {}", t.name, t.message));
        }
    }
    let solution = sources::solution(root, ex)?;
    let report = engine.run(ex, &solution)?;
    println!("solution: {} of {} tests pass (must be all)", report.passed(), report.total());
    if let Outcome::BuildFailed { diagnostics } = &report.outcome {
        bad(format!("the solution does not compile:\n{diagnostics}"));
    }
    for t in report.tests().iter().filter(|t| t.status != Status::Passed) {
        bad(format!("{} fails on the solution ({:?}): {}", t.name, t.status, t.message));
    }
    for m in workbook::misconception::load_all(root, ex)? {
        let report = engine.run(ex, &m.apply(&solution)?)?;
        let failing: Vec<_> =
            report.tests().iter().filter(|t| t.status != Status::Passed).collect();
        let naming = failing.iter().filter(|t| t.message.contains(&m.hint)).count();
        println!(
            "misconception {}: {} tests fail, {naming} of them name it",
            m.name,
            failing.len()
        );
        if let Outcome::BuildFailed { diagnostics } = &report.outcome {
            bad(format!("misconception {} does not compile:\n{diagnostics}", m.name));
        } else if naming == 0 {
            bad(format!(
                "misconception {} ({}) is not caught by a test whose message contains {:?}",
                m.name, m.title, m.hint
            ));
        }
    }
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn grade(
    root: &Path,
    manifest: &Manifest,
    options: &workbook::grade::Options,
    self_check: bool,
    json: bool,
) -> Result<ExitCode> {
    use workbook::grade::Grader;
    let out = &options.out;
    if !self_check {
        if !options.submissions.is_dir() {
            anyhow::bail!("{} is not a folder of submissions", options.submissions.display());
        }
        let subs = std::fs::canonicalize(&options.submissions)?;
        std::fs::create_dir_all(out)
            .with_context(|| format!("could not create {}", out.display()))?;
        if std::fs::canonicalize(out)?.starts_with(&subs) {
            anyhow::bail!(
                "--out {} is inside the submissions folder; put it elsewhere",
                out.display()
            );
        }
    }
    eprintln!("Preparing: building and checking the reference solutions…");
    let grader = Grader::new(root, manifest, options, out.join(".cache"))?;
    if !grader.sandboxed() {
        eprintln!(
            "{} bubblewrap (bwrap) is not available: tests run without a sandbox; the report says so.",
            "warning:".yellow().bold()
        );
    }
    if self_check {
        let (solution, stub) = grader.self_check()?;
        let ok = solution.total == solution.max && stub.total == 0.0;
        if json {
            println!("{}", serde_json::json!({"ok": ok, "reference": solution, "stub": stub}));
        } else {
            for (what, r, want) in
                [("reference solutions", &solution, "100 %"), ("untouched stubs", &stub, "0 %")]
            {
                println!("{what}: {} of {} points (must be {want})", r.total, r.max);
                for (id, e) in &r.exercises {
                    println!("  exercise {id}: {} of {} ({})", e.points, e.max, e.status);
                }
            }
            println!(
                "{}",
                if ok {
                    "Self-check passed.".green().bold().to_string()
                } else {
                    "Self-check FAILED.".red().bold().to_string()
                }
            );
        }
        return Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) });
    }
    let entries = workbook::submission::entries(&options.submissions)?;
    let steps = (entries.len() * grader.exercise_ids().len()) as u64;
    let bar = indicatif::ProgressBar::new(steps);
    if json {
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
    let book = grader.gradebook(students);
    grader.write(out, &book)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&book)?);
    } else {
        for s in &book.students {
            match &s.rejected {
                Some(why) => println!("  {:<24} rejected: {why}", s.student),
                None => println!("  {:<24} {:>6} of {}", s.student, s.total, s.max),
            }
        }
        println!("\nWrote {}/gradebook.csv, results.json, feedback/ and report.md.", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn plot(
    root: &Path,
    engine: &Engine,
    ex: &Exercise,
    out: Option<PathBuf>,
    json: bool,
) -> Result<ExitCode> {
    if !root.join(ex.dir()).join("examples/plot.rs").is_file() {
        anyhow::bail!(
            "exercise {} has no figures to draw from your code (it has no examples/plot.rs)",
            ex.id
        );
    }
    let out = out.unwrap_or_else(|| root.join("target/workbook/plots").join(ex.package()));
    let out = if out.is_absolute() { out } else { std::env::current_dir()?.join(out) };
    let yours = out.join("yours");
    let reference = out.join("reference");
    for dir in [&yours, &reference] {
        let _ = std::fs::remove_dir_all(dir);
    }
    eprintln!("Drawing with your code…");
    let mine =
        engine.run_example(ex, None, "plot", &[yours.as_os_str(), std::ffi::OsStr::new("your")]);
    eprintln!("Drawing with the reference solution…");
    let theirs = engine.run_example(
        ex,
        Some(&sources::solution(root, ex)?),
        "plot",
        &[reference.as_os_str(), std::ffi::OsStr::new("the reference")],
    );
    if let Err(e) = &theirs {
        anyhow::bail!("the reference solution could not draw its figures: {e:#}");
    }
    let svgs = |dir: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .map(|r| {
                r.filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .filter(|n| n.ends_with(".svg"))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let names = svgs(&reference);
    let mut html = format!(
        "<!doctype html><meta charset=utf-8><title>Exercise {id}: your figures</title>\n<style>body{{font-family:sans-serif;margin:2em}} .row{{display:flex;gap:1em}} .row div{{flex:1}} img{{width:100%;border:1px solid #ccc}}</style>\n<h1>Exercise {id}, {title}: your figures and the reference's</h1>\n",
        id = ex.id,
        title = ex.title
    );
    if let Err(e) = &mine {
        html.push_str(&format!(
            "<p><strong>Your code could not draw:</strong></p><pre>{}</pre>\n",
            escape_html(&format!("{e:#}"))
        ));
    }
    for name in &names {
        let left = if yours.join(name).is_file() {
            format!("<img src=\"yours/{name}\">")
        } else {
            "<p>(not drawn)</p>".to_string()
        };
        html.push_str(&format!("<h2>{name}</h2><div class=row><div><h3>Yours</h3>{left}</div><div><h3>Reference</h3><img src=\"reference/{name}\"></div></div>\n"));
    }
    workbook::state::write_atomic(&out.join("index.html"), html.as_bytes())?;
    if json {
        println!(
            "{}",
            serde_json::json!({"folder": out, "figures": names, "yours_ok": mine.is_ok(), "error": mine.as_ref().err().map(|e| format!("{e:#}"))})
        );
    } else {
        match &mine {
            Ok(_) => println!("Wrote your figures and the reference's to {}", out.display()),
            Err(e) => {
                println!(
                    "{} your code could not draw its figures:\n{e:#}\n",
                    "Note:".yellow().bold()
                );
                println!("Wrote the reference's figures to {}", out.join("reference").display());
            }
        }
        println!("Open {} to see them side by side.", out.join("index.html").display());
    }
    Ok(if mine.is_ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn train(
    root: &Path,
    data: &Path,
    options: &workbook::train::Options,
    plot: Option<PathBuf>,
    json: bool,
) -> Result<ExitCode> {
    use std::io::IsTerminal;
    let bar = indicatif::ProgressBar::hidden();
    if !json && std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "training {bar:40} {pos}/{len} steps {elapsed}",
            )
            .expect("a valid template"),
        );
    }
    let report = workbook::train::train(data, options, &|| bar.inc(1), &|rows| {
        bar.set_length(workbook::train::planned_steps(options, rows) as u64)
    })?;
    bar.finish_and_clear();
    if json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", workbook::train::describe(&report));
    let plot = plot.unwrap_or_else(|| root.join("target/workbook/train-loss.svg"));
    if let Some(dir) = plot.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let epochs: Vec<f64> = (0..report.epoch_losses.len()).map(|e| e as f64).collect();
    let positive = report.epoch_losses.iter().all(|l| *l > 0.0);
    let scale = if positive { support::plot::Scale::Log } else { support::plot::Scale::Linear };
    let drawn = support::plot::chart(
        &plot,
        support::plot::Labels {
            title: &format!("Loss per epoch on {}", data.display()),
            x: "epoch",
            y: "loss",
        },
        scale,
        &[support::plot::Series::Line {
            label: "training loss",
            x: &epochs,
            y: &report.epoch_losses,
        }],
    );
    match drawn {
        Ok(()) => println!("The loss per epoch is drawn in {}", plot.display()),
        Err(e) => println!("(no plot: {e})"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `B1,B2` as two numbers.
fn parse_betas(text: &str) -> std::result::Result<(f64, f64), String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [b1, b2] = parts.as_slice() else {
        return Err(format!(
            "expected two numbers separated by a comma, like 0.9,0.999, not {text:?}"
        ));
    };
    let number = |t: &str| t.parse::<f64>().map_err(|_| format!("{t:?} is not a number"));
    Ok((number(b1)?, number(b2)?))
}
