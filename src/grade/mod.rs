//! The instructor's grader: `cargo workbook grade SUBMISSIONS --out OUT`.
//!
//! For each student and each exercise it takes only the learner's sources
//! from the submission, runs them through the grading engine in a pristine
//! copy of the course (under bubblewrap; without it only when the instructor
//! passes `--no-sandbox`, and every output then says so), within a time
//! budget, and scores the tests with the manifest's points. Results are
//! cached by the content hash of the sources and of the course, so an
//! interrupted run continues where it stopped. Every output file is written
//! atomically.

pub mod cache;
pub mod gradebook;
pub mod hidden;
mod isolation;
pub mod looping;
pub mod output;
pub mod platform;
pub mod submission;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};

pub use gradebook::{
    ExerciseResult, ExerciseStatus, Gradebook, StudentResult, TestOutcome, TestStatus,
};
pub use submission::suspicious;

use crate::course::manifest::{Exercise, Manifest};
use crate::course::sources::{self, Sources};
use crate::course::verify::{self, Checks};
use crate::engine::{Engine, Extras, Interrupted, Sandbox, is_interrupted, stopping};
use crate::util::fs::write_atomic;
use crate::util::parallel;
use gradebook::{score, trouble};
use hidden::Hidden;
use looping::{Calls, Suspects};

/// What the grader is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub submissions: PathBuf,
    pub out: PathBuf,
    /// Exercise ids to grade (default: all).
    pub exercises: Option<Vec<String>>,
    /// Submissions graded at the same time.
    pub jobs: usize,
    /// Wall-clock limit of one test.
    pub timeout: Duration,
    /// Folder of hidden tests: `exercise-NN/*.rs`, and optionally
    /// `exercise-NN/descriptions.toml` mapping test names to public descriptions.
    pub hidden_tests: Option<PathBuf>,
    /// Grade again even what the cache already holds.
    pub force: bool,
    /// Run the submissions' code without bubblewrap (the outputs say so).
    pub no_sandbox: bool,
    /// With `no_sandbox`, as root on a platform's throwaway machine: run the
    /// code as unprivileged accounts (see `engine::Sandbox::Accounts`).
    pub as_accounts: bool,
    /// Wall-clock time for one submission's exercise, build included.
    pub budget: Duration,
}

/// The flag of every student graded without the sandbox.
pub const NOT_SANDBOXED: &str = "not sandboxed (graded with --no-sandbox)";
/// The flag of a student graded without bubblewrap, as unprivileged accounts.
pub const AS_ACCOUNTS: &str = "not sandboxed (run as unprivileged accounts)";

/// Per exercise: what the grader needs to know once.
struct Prepared<'a> {
    ex: &'a Exercise,
    /// The untouched stub: a submission that equals it is "not started" and
    /// scores 0 without a build.
    stub: Sources,
    hidden: Hidden,
    /// Which of the exercise's functions each public test calls.
    calls: Calls,
    fingerprint: String,
    max: f64,
    /// The reference solution's results: every test with its points.
    reference: Vec<TestOutcome>,
}

/// The grader: an engine set up for untrusted code, and the course.
pub struct Grader<'a> {
    root: PathBuf,
    manifest: &'a Manifest,
    /// The engine for submissions, with the time budget.
    engine: Engine,
    /// The same without a time budget: for the reference solutions, whose
    /// results must not depend on how busy the machine is.
    reference_engine: Engine,
    cache: PathBuf,
    force: bool,
    prepared: Vec<Prepared<'a>>,
}

impl<'a> Grader<'a> {
    /// Sets up grading of `exercises` (all when `None`), caching in `cache`.
    /// Fails if bubblewrap cannot be used and `--no-sandbox` was not given.
    /// Runs each exercise's reference solution once: it must pass every test
    /// (else the course itself is broken), and it gives each exercise's
    /// maximum points.
    pub fn new(
        root: &Path,
        manifest: &'a Manifest,
        options: &Options,
        cache: PathBuf,
    ) -> Result<Grader<'a>> {
        crate::engine::untrusted_code_supported()?;
        let mut engine = Engine::new(root);
        isolation::isolate(&mut engine, root, options)?;
        engine.test_timeout = options.timeout;
        engine.slot_count = options.jobs.max(1);
        engine.jobs = (engine.jobs / options.jobs.max(1)).max(1);
        engine.output_cap = 64 * 1024;
        engine.memory_limit = Some(2 << 30);
        let reference_engine = engine.clone();
        engine.budget = Some(options.budget);
        let selected: Vec<&Exercise> = match &options.exercises {
            None => manifest.exercises.iter().collect(),
            Some(ids) => ids
                .iter()
                .map(|id| {
                    manifest.find(id).with_context(|| {
                        format!("--exercises names {id}, which the course does not have")
                    })
                })
                .collect::<Result<_>>()?,
        };
        let mut grader = Grader {
            root: root.to_path_buf(),
            manifest,
            engine,
            reference_engine,
            cache,
            force: options.force,
            prepared: Vec::new(),
        };
        for ex in selected {
            let hidden = hidden::load(options.hidden_tests.as_deref(), ex)?;
            let limits = cache::Limits {
                timeout: options.timeout,
                budget: options.budget,
                sandboxed: grader.sandboxed(),
            };
            let fingerprint = cache::course_fingerprint(root, ex, &hidden, &limits)?;
            let solution = sources::solution(root, ex)?;
            let mut p = Prepared {
                ex,
                stub: sources::stub(root, ex)?,
                hidden,
                calls: Calls::read(root, ex, &solution)?,
                fingerprint,
                max: 0.0,
                reference: Vec::new(),
            };
            let mut reference = grader.grade_reference(&p, &solution, !grader.force)?;
            if !reference.full_marks() {
                // Never trust a cached failure of the reference: grade it again.
                reference = grader.grade_reference(&p, &solution, false)?;
            }
            if !reference.full_marks() {
                let failing: Vec<String> = reference
                    .tests
                    .iter()
                    .filter(|t| t.status != TestStatus::Pass)
                    .map(|t| format!("{}: {}", t.name, t.message))
                    .collect();
                bail!(
                    "the reference solution of exercise {} does not pass its own tests ({}), so no grade would be fair:\n{}{}",
                    ex.id,
                    reference.status,
                    failing.join("\n"),
                    reference.build_log
                );
            }
            p.max = reference.max;
            p.reference = reference.tests;
            grader.prepared.push(p);
        }
        Ok(grader)
    }

    pub fn sandboxed(&self) -> bool {
        self.engine.sandbox.is_sandboxed()
    }

    /// What the feedback says first when the grading did not run under
    /// bubblewrap.
    pub fn banner(&self) -> Option<&'static str> {
        match self.engine.sandbox {
            Sandbox::Bwrap(_) | Sandbox::None => None,
            Sandbox::Accounts(_) => Some(output::AS_ACCOUNTS_BANNER),
            Sandbox::Unconfined(_) => Some(output::NOT_SANDBOXED_BANNER),
        }
    }

    /// Every test of the graded exercises, with its points.
    pub fn tests(&self) -> Vec<GradedTest> {
        let test = |p: &Prepared<'_>, t: &TestOutcome| GradedTest {
            exercise: p.ex.id.clone(),
            name: t.name.clone(),
            points: t.max,
            hidden: t.hidden,
        };
        self.prepared.iter().flat_map(|p| p.reference.iter().map(move |t| test(p, t))).collect()
    }

    /// The cache files that hold the reference solutions' results (an
    /// autograder ships them, so that the platform need not grade them).
    pub fn reference_results(&self) -> Result<Vec<PathBuf>> {
        self.prepared
            .iter()
            .map(|p| {
                let solution = sources::solution(&self.root, p.ex)?;
                let key = cache::sources_hash(p.ex, &p.fingerprint, &solution);
                Ok(self.cache.join(format!("{}-{key}.json", p.ex.id)))
            })
            .collect()
    }

    pub fn exercise_ids(&self) -> Vec<String> {
        self.prepared.iter().map(|p| p.ex.id.clone()).collect()
    }

    /// Grades one submission's sources of one exercise, from the cache when
    /// it can; the untouched stub scores 0 without a build.
    fn grade_sources(&self, p: &Prepared<'_>, files: &Sources) -> Result<ExerciseResult> {
        if sources::same(files, &p.stub) {
            let status = ExerciseStatus::NotStarted;
            return Ok(ExerciseResult::without_tests(status, p.max, String::new()));
        }
        self.grade_cached(p, files, &self.engine, !self.force)
    }

    /// Grades the reference solution, without a time budget.
    fn grade_reference(
        &self,
        p: &Prepared<'_>,
        files: &Sources,
        use_cache: bool,
    ) -> Result<ExerciseResult> {
        self.grade_cached(p, files, &self.reference_engine, use_cache)
    }

    fn grade_cached(
        &self,
        p: &Prepared<'_>,
        files: &Sources,
        engine: &Engine,
        use_cache: bool,
    ) -> Result<ExerciseResult> {
        let key = cache::sources_hash(p.ex, &p.fingerprint, files);
        let cached = self.cache.join(format!("{}-{key}.json", p.ex.id));
        if use_cache
            && let Ok(text) = std::fs::read_to_string(&cached)
            && let Ok(result) = serde_json::from_str::<ExerciseResult>(&text)
        {
            return Ok(result);
        }
        let extras = Extras { tests: p.hidden.files.clone() };
        let report = engine.run_with(p.ex, files, &extras)?;
        let mut result = score(p.ex, &report, &p.hidden);
        result.note = loop_note(&result, &p.calls, files);
        write_atomic(&cached, serde_json::to_string(&result)?.as_bytes())?;
        Ok(result)
    }

    /// Grades one student's submission (a folder or archive). `Err` only
    /// when the grader is being stopped ([`crate::engine::Interrupted`]).
    pub fn grade_entry(
        &self,
        entry: &submission::Entry,
        on_exercise: &dyn Fn(),
    ) -> Result<StudentResult> {
        let max = self.prepared.iter().map(|p| p.max).sum();
        let mut result = StudentResult::named(&entry.student, max);
        match self.engine.sandbox {
            Sandbox::Bwrap(_) | Sandbox::None => {}
            Sandbox::Accounts(_) => result.flags.push(AS_ACCOUNTS.into()),
            Sandbox::Unconfined(_) => result.flags.push(NOT_SANDBOXED.into()),
        }
        if let Some(why) = &entry.unusable_name {
            result.rejected = Some(why.clone());
            return Ok(result);
        }
        let files = match submission::read(&entry.path) {
            Ok(files) => files,
            Err(e) => {
                result.rejected = Some(format!("{e:#}"));
                return Ok(result);
            }
        };
        let Some(ex_root) = submission::exercises_root(&files) else {
            result.rejected =
                Some("no exercises/exercise-NN folder was found in the submission".into());
            return Ok(result);
        };
        let mut modified = BTreeSet::new();
        for p in &self.prepared {
            let package = p.ex.package();
            for path in submission::modified_outside_src(
                &files,
                &ex_root,
                &package,
                &self.root.join(p.ex.dir()),
            ) {
                modified.insert(Path::new(&package).join(path).display().to_string());
            }
            let graded = match submission::exercise_sources(&files, &ex_root, &package) {
                Ok(None) => {
                    ExerciseResult::without_tests(ExerciseStatus::Missing, p.max, String::new())
                }
                Ok(Some(sources)) => {
                    let odd = suspicious(&sources);
                    if !odd.is_empty() {
                        result.flags.push(format!(
                            "suspicious code in exercise {}, for review: {}",
                            p.ex.id,
                            odd.join(", ")
                        ));
                    }
                    match self.grade_sources(p, &sources) {
                        Ok(mut r) => {
                            r.max = p.max;
                            r
                        }
                        Err(e) if is_interrupted(&e) => return Err(e),
                        Err(e) => ExerciseResult::without_tests(
                            ExerciseStatus::Error,
                            p.max,
                            format!("the grader could not run this exercise: {e:#}"),
                        ),
                    }
                }
                Err(e) => ExerciseResult::without_tests(
                    ExerciseStatus::Unreadable,
                    p.max,
                    format!("{e:#}"),
                ),
            };
            if let Some(note) = trouble(&p.ex.id, &graded) {
                result.flags.push(note);
            }
            result.add(&p.ex.id, graded);
            on_exercise();
        }
        if !modified.is_empty() {
            let list: Vec<String> = modified.into_iter().collect();
            let build = list.iter().any(|f| f.ends_with("build.rs"));
            result.flags.push(format!(
                "tests modified (ignored; graded with the course's files): {}",
                list.join(", ")
            ));
            if build {
                result.flags.push("build.rs added (ignored)".into());
            }
        }
        Ok(result)
    }

    /// Grades every entry of the submissions folder, `jobs` at a time.
    /// `Err` only when the grader is being stopped.
    pub fn grade_all(
        &self,
        entries: &[submission::Entry],
        jobs: usize,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<Vec<StudentResult>> {
        parallel::map(entries, jobs, |entry| {
            if stopping() {
                return Err(Interrupted.into());
            }
            self.grade_entry(entry, &|| progress(&entry.student))
        })
        .into_iter()
        .collect()
    }

    /// Grades the reference solutions and the untouched stubs, sandboxed
    /// and with the hidden tests, and checks them with the course's one
    /// [`verify`]: every solution passes every test, every stub compiles
    /// and fails every test.
    pub fn self_check(&self) -> Result<SelfCheck> {
        let max = self.prepared.iter().map(|p| p.max).sum();
        let mut reference = StudentResult::named("reference-solutions", max);
        let mut stub = StudentResult::named("untouched-stubs", max);
        let mut problems = Vec::new();
        for p in &self.prepared {
            let checks = Checks { exempt_suites: p.hidden.suites(), ..Checks::default() };
            let extras = Extras { tests: p.hidden.files.clone() };
            let run = |files: &Sources| self.reference_engine.run_with(p.ex, files, &extras);
            let v = verify::verify(&self.root, p.ex, &checks, &run)?;
            let mut solution = score(p.ex, &v.solution, &p.hidden);
            solution.max = p.max;
            let mut untouched = score(p.ex, &v.stub, &p.hidden);
            untouched.max = p.max;
            let free: Vec<&str> = untouched
                .tests
                .iter()
                .filter(|t| t.status == TestStatus::Pass)
                .map(|t| t.name.as_str())
                .collect();
            if !free.is_empty() {
                untouched.build_log =
                    format!("tests that pass on the untouched stub: {}", free.join(", "));
            }
            reference.add(&p.ex.id, solution);
            stub.add(&p.ex.id, untouched);
            problems.extend(v.problems.into_iter().map(|problem| (p.ex.id.clone(), problem)));
        }
        Ok(SelfCheck { reference, stub, problems })
    }

    pub fn gradebook(&self, students: Vec<StudentResult>) -> Gradebook {
        Gradebook {
            exercises: self.exercise_ids(),
            max: self.prepared.iter().map(|p| (p.ex.id.clone(), p.max)).collect(),
            sandboxed: self.sandboxed(),
            students,
        }
    }

    /// Writes gradebook.csv, results.json, feedback/STUDENT.md and report.md
    /// (with its figure) into `out`, each atomically.
    pub fn write(&self, out: &Path, book: &Gradebook) -> Result<()> {
        output::write(out, book, self.manifest)
    }
}

/// What the learner should know about tests that ran out of time: which
/// function they all call (the one that seems to loop). Empty when none did.
fn loop_note(result: &ExerciseResult, calls: &Calls, files: &Sources) -> String {
    let names = |keep: &dyn Fn(TestStatus) -> bool| -> Vec<&str> {
        result
            .tests
            .iter()
            .filter(|t| !t.hidden && keep(t.status))
            .map(|t| t.name.as_str())
            .collect()
    };
    let timed_out = names(&|s| s == TestStatus::Timeout);
    if timed_out.is_empty() {
        return String::new();
    }
    let finished = names(&|s| matches!(s, TestStatus::Pass | TestStatus::Fail));
    let quote = |fs: &[String]| fs.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>();
    match calls.suspects(&timed_out, &finished, files) {
        None => String::new(),
        Some(Suspects::Every(fs)) if fs.len() == 1 => {
            format!("the tests that ran out of time all call `{}`: it seems to loop", fs[0])
        }
        Some(Suspects::Every(fs)) => format!(
            "the tests that ran out of time all call {}: one of them seems to loop",
            quote(&fs).join(" and ")
        ),
        Some(Suspects::Several(fs)) => format!(
            "the tests that ran out of time call {}: more than one of them seems to loop",
            quote(&fs).join(", ")
        ),
    }
}

/// One test that the grader scores.
#[derive(Clone, Debug, PartialEq)]
pub struct GradedTest {
    pub exercise: String,
    /// The test's name as the test binary lists it (`hidden: NAME` for a
    /// hidden test).
    pub name: String,
    pub points: f64,
    pub hidden: bool,
}

/// What `grade --self-check` found.
#[derive(Clone, Debug)]
pub struct SelfCheck {
    /// The reference solutions, graded as a student's submission.
    pub reference: StudentResult,
    /// The untouched stubs, graded as a student's submission.
    pub stub: StudentResult,
    /// What is wrong, by exercise id; none when the course is sound.
    pub problems: Vec<(String, verify::Problem)>,
}

impl SelfCheck {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
            && self.reference.total == self.reference.max
            && self.stub.total == 0.0
    }
}
