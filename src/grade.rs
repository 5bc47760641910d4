//! The instructor's grader: `cargo workbook grade SUBMISSIONS --out OUT`.
//!
//! For each student and each exercise it takes only the learner's sources
//! from the submission, runs them through the grading engine in a pristine
//! copy of the course (sandboxed when bubblewrap is available), and scores
//! the tests with the manifest's points. Results are cached by the content
//! hash of the sources and of the course, so an interrupted run continues
//! where it stopped. Every output file is written atomically.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::engine::{Engine, Extras, Outcome, Report, Sandbox, Status};
use crate::manifest::{Exercise, Manifest, short_name};
use crate::sources::{self, Sources};
use crate::state::write_atomic;
use crate::submission;

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
}

/// One test's result as the gradebook keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestOutcome {
    pub name: String,
    /// pass, fail, timeout, crash
    pub status: String,
    pub points: f64,
    pub max: f64,
    /// The learner-facing message; for a hidden test only its public description.
    pub message: String,
    pub hidden: bool,
}

/// One exercise of one student.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExerciseResult {
    /// graded, missing, build-error
    pub status: String,
    pub points: f64,
    pub max: f64,
    pub tests: Vec<TestOutcome>,
    /// The compiler's errors, for a build error (cut to a few kilobytes).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub build_log: String,
}

/// One student.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StudentResult {
    pub student: String,
    /// Why the whole submission was not graded (corrupt archive, `..` paths, …).
    pub rejected: Option<String>,
    pub flags: Vec<String>,
    pub exercises: BTreeMap<String, ExerciseResult>,
    pub total: f64,
    pub max: f64,
}

/// What a grading run produced.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Gradebook {
    pub exercises: Vec<String>,
    /// Maximum points per exercise.
    pub max: BTreeMap<String, f64>,
    pub sandboxed: bool,
    pub students: Vec<StudentResult>,
}

/// Hidden tests of one exercise.
#[derive(Debug, Clone, Default)]
struct Hidden {
    files: Vec<(String, String)>,
    /// Test name (short) → public description.
    descriptions: BTreeMap<String, String>,
}

impl Hidden {
    fn suites(&self) -> BTreeSet<String> {
        self.files.iter().map(|(f, _)| f.trim_end_matches(".rs").to_string()).collect()
    }
}

fn load_hidden(dir: Option<&Path>, ex: &Exercise) -> Result<Hidden> {
    let Some(dir) = dir else { return Ok(Hidden::default()) };
    let dir = dir.join(ex.package());
    let mut hidden = Hidden::default();
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(hidden) };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if name.ends_with(".rs") {
            let stem = name.trim_end_matches(".rs");
            if !stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                bail!(
                    "hidden test file {} must be named like `hidden_checks.rs` (letters, digits, _)",
                    path.display()
                );
            }
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("could not read {}", path.display()))?;
            hidden.files.push((format!("hidden_{stem}.rs"), text));
        } else if name == "descriptions.toml" {
            let text = std::fs::read_to_string(&path)?;
            hidden.descriptions = toml::from_str(&text).with_context(|| {
                format!(
                    "{} must map test names to descriptions: `name = \"what it checks\"`",
                    path.display()
                )
            })?;
        }
    }
    Ok(hidden)
}

/// A fingerprint of everything besides the learner's sources that decides a
/// grade: the exercise's pristine tests and data, the solutions and support
/// crates, the lock file, the hidden tests and the time limit.
fn course_fingerprint(
    root: &Path,
    ex: &Exercise,
    hidden: &Hidden,
    timeout: Duration,
) -> Result<String> {
    let mut h = Sha256::new();
    let mut add_tree = |dir: &Path, skip_src: bool| -> Result<()> {
        let mut stack = vec![dir.to_path_buf()];
        let mut files = Vec::new();
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else { continue };
            for e in entries {
                let e = e?;
                let p = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                if e.file_type()?.is_dir() {
                    if name != "target" && !(skip_src && p == dir.join("src")) {
                        stack.push(p);
                    }
                } else if !name.ends_with(".snap.new") {
                    files.push(p);
                }
            }
        }
        files.sort();
        for f in files {
            h.update(f.strip_prefix(root).unwrap_or(&f).to_string_lossy().as_bytes());
            h.update(std::fs::read(&f)?);
        }
        Ok(())
    };
    add_tree(&root.join(ex.dir()), true)?;
    add_tree(&root.join("solutions"), false)?;
    add_tree(&root.join("exercises/support"), false)?;
    h.update(std::fs::read(root.join("Cargo.lock")).unwrap_or_default());
    h.update(std::fs::read(root.join("Cargo.toml")).unwrap_or_default());
    for (name, text) in &hidden.files {
        h.update(name.as_bytes());
        h.update(text.as_bytes());
    }
    h.update(timeout.as_millis().to_le_bytes());
    Ok(hex(&h.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sources_hash(ex: &Exercise, fingerprint: &str, files: &Sources) -> String {
    let mut h = Sha256::new();
    h.update(ex.id.as_bytes());
    h.update(fingerprint.as_bytes());
    for (path, text) in files {
        h.update(path.to_string_lossy().as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        h.update([0]);
    }
    hex(&h.finalize())
}

/// A line for the gradebook when an exercise went worse than failing tests:
/// it did not compile, or some of its tests timed out or crashed.
fn trouble(id: &str, e: &ExerciseResult) -> Option<String> {
    match e.status.as_str() {
        "build-error" => return Some(format!("exercise {id} does not compile")),
        "error" => return Some(format!("exercise {id} could not be graded")),
        _ => {}
    }
    let count = |status: &str| e.tests.iter().filter(|t| t.status == status).count();
    let (timeouts, crashes) = (count("timeout"), count("crash"));
    let mut parts = Vec::new();
    if timeouts > 0 {
        parts.push(format!("{timeouts} test(s) timed out"));
    }
    if crashes > 0 {
        parts.push(format!("{crashes} test(s) crashed"));
    }
    (!parts.is_empty()).then(|| format!("exercise {id}: {}", parts.join(", ")))
}

/// Things a learner's code has no reason to contain, which could be used to
/// fool a test run (end the process early, forge libtest's report, run code
/// before `main`, read other processes): flagged for the instructor to look
/// at; they do not change the grade by themselves.
pub fn suspicious(files: &Sources) -> Vec<String> {
    const PATTERNS: [(&str, &str); 7] = [
        ("process::exit", "calls std::process::exit"),
        ("process::abort", "calls std::process::abort"),
        ("test result:", "prints \"test result:\" like the test harness"),
        ("link_section", "uses #[link_section] (code that runs before main)"),
        ("/proc/", "reads /proc"),
        ("unsafe", "uses unsafe code"),
        ("Command::new", "starts other programs"),
    ];
    let mut out = Vec::new();
    for (pattern, what) in PATTERNS {
        if files.values().any(|text| text.contains(pattern)) {
            out.push(what.to_string());
        }
    }
    out
}

/// Turns an engine report into the gradebook's form, scoring with the
/// manifest's points and hiding the code and expected values of hidden tests.
fn score(ex: &Exercise, report: &Report, hidden: &Hidden) -> ExerciseResult {
    match &report.outcome {
        Outcome::BuildFailed { diagnostics } => {
            let mut log: String = diagnostics.chars().take(4000).collect();
            if diagnostics.len() > log.len() {
                log.push_str("\n[… cut]");
            }
            ExerciseResult {
                status: "build-error".into(),
                points: 0.0,
                max: 0.0,
                tests: Vec::new(),
                build_log: log,
            }
        }
        Outcome::Tested { tests } => {
            let suites = hidden.suites();
            let names: Vec<String> = tests.iter().map(|t| t.name.clone()).collect();
            let mut out = Vec::new();
            for t in tests {
                let max = ex.points_for(&t.name, &names);
                let passed = t.status == Status::Passed;
                let is_hidden = suites.contains(&t.suite);
                let message = if passed {
                    String::new()
                } else if is_hidden {
                    let description =
                        hidden.descriptions.get(short_name(&t.name)).cloned().unwrap_or_else(
                            || "an additional test of the instructor's".to_string(),
                        );
                    format!("a hidden test failed: {description}")
                } else {
                    t.message.clone()
                };
                let status = match t.status {
                    Status::Passed => "pass",
                    Status::Failed => "fail",
                    Status::TimedOut => "timeout",
                    Status::Crashed => "crash",
                };
                let name = if is_hidden {
                    format!("hidden: {}", short_name(&t.name))
                } else {
                    t.name.clone()
                };
                out.push(TestOutcome {
                    name,
                    status: status.into(),
                    points: if passed { max } else { 0.0 },
                    max,
                    message,
                    hidden: is_hidden,
                });
            }
            let points = out.iter().map(|t| t.points).sum();
            let max = out.iter().map(|t| t.max).sum();
            ExerciseResult {
                status: "graded".into(),
                points,
                max,
                tests: out,
                build_log: String::new(),
            }
        }
    }
}

/// Per exercise: what the grader needs to know once.
struct Prepared<'a> {
    ex: &'a Exercise,
    /// The untouched stub: a submission that equals it is "not started" and
    /// scores 0 without a build.
    stub: Sources,
    hidden: Hidden,
    fingerprint: String,
    max: f64,
    /// The reference solution's results: every test with its points.
    reference: Vec<TestOutcome>,
}

/// The grader: an engine set up for untrusted code, and the course.
pub struct Grader<'a> {
    root: PathBuf,
    manifest: &'a Manifest,
    engine: Engine,
    cache: PathBuf,
    force: bool,
    prepared: Vec<Prepared<'a>>,
}

impl<'a> Grader<'a> {
    /// Sets up grading of `exercises` (all when `None`), caching in `cache`.
    /// Runs each exercise's reference solution once: it must pass every test
    /// (else the course itself is broken), and it gives each exercise's
    /// maximum points.
    pub fn new(
        root: &Path,
        manifest: &'a Manifest,
        options: &Options,
        cache: PathBuf,
    ) -> Result<Grader<'a>> {
        let mut engine = Engine::new(root);
        engine.sandbox = Sandbox::detect();
        engine.test_timeout = options.timeout;
        engine.slot_count = options.jobs.max(1);
        engine.jobs = (engine.jobs / options.jobs.max(1)).max(1);
        engine.output_cap = 64 * 1024;
        engine.memory_limit = Some(2 << 30);
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
            cache,
            force: options.force,
            prepared: Vec::new(),
        };
        for ex in selected {
            let hidden = load_hidden(options.hidden_tests.as_deref(), ex)?;
            let fingerprint = course_fingerprint(root, ex, &hidden, options.timeout)?;
            let mut p = Prepared {
                ex,
                stub: sources::stub(root, ex)?,
                hidden,
                fingerprint,
                max: 0.0,
                reference: Vec::new(),
            };
            let solution = sources::solution(root, ex)?;
            let mut reference = grader.grade_sources(&p, &solution)?;
            if reference.status != "graded" || reference.points < reference.max {
                // Never trust a cached failure of the reference: grade it again.
                reference = grader.grade_sources_with(&p, &solution, true, false)?;
            }
            if reference.status != "graded" || reference.points < reference.max {
                let failing: Vec<String> = reference
                    .tests
                    .iter()
                    .filter(|t| t.status != "pass")
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

    /// Every test of the graded exercises with its points: (exercise id, test name, points).
    pub fn tests(&self) -> Vec<(String, String, f64)> {
        self.prepared
            .iter()
            .flat_map(|p| p.reference.iter().map(|t| (p.ex.id.clone(), t.name.clone(), t.max)))
            .collect()
    }

    pub fn exercise_ids(&self) -> Vec<String> {
        self.prepared.iter().map(|p| p.ex.id.clone()).collect()
    }

    /// Grades one set of sources of one exercise, from the cache when it can.
    fn grade_sources(&self, p: &Prepared<'_>, files: &Sources) -> Result<ExerciseResult> {
        self.grade_sources_with(p, files, true, !self.force)
    }

    /// `stub_shortcut`: score the untouched stub 0 without running its tests
    /// (the self-check turns it off, to prove that the stubs fail).
    fn grade_sources_with(
        &self,
        p: &Prepared<'_>,
        files: &Sources,
        stub_shortcut: bool,
        use_cache: bool,
    ) -> Result<ExerciseResult> {
        if stub_shortcut && sources::same(files, &p.stub) {
            return Ok(ExerciseResult {
                status: "not-started".into(),
                points: 0.0,
                max: p.max,
                tests: Vec::new(),
                build_log: String::new(),
            });
        }
        let key = sources_hash(p.ex, &p.fingerprint, files);
        let cached = self.cache.join(format!("{}-{key}.json", p.ex.id));
        if use_cache
            && let Ok(text) = std::fs::read_to_string(&cached)
            && let Ok(result) = serde_json::from_str::<ExerciseResult>(&text)
        {
            return Ok(result);
        }
        let extras = Extras { tests: p.hidden.files.clone() };
        let report = self.engine.run_with(p.ex, files, &extras)?;
        let result = score(p.ex, &report, &p.hidden);
        write_atomic(&cached, serde_json::to_string(&result)?.as_bytes())?;
        Ok(result)
    }

    /// Grades one student's submission (a folder or archive).
    pub fn grade_entry(&self, entry: &submission::Entry, on_exercise: &dyn Fn()) -> StudentResult {
        let mut result = StudentResult {
            student: entry.student.clone(),
            rejected: None,
            flags: Vec::new(),
            exercises: BTreeMap::new(),
            total: 0.0,
            max: self.prepared.iter().map(|p| p.max).sum(),
        };
        let files = match submission::read(&entry.path) {
            Ok(files) => files,
            Err(e) => {
                result.rejected = Some(format!("{e:#}"));
                return result;
            }
        };
        let Some(ex_root) = submission::exercises_root(&files) else {
            result.rejected =
                Some("no exercises/exercise-NN folder was found in the submission".into());
            return result;
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
                Ok(None) => ExerciseResult {
                    status: "missing".into(),
                    points: 0.0,
                    max: p.max,
                    tests: Vec::new(),
                    build_log: String::new(),
                },
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
                        Err(e) => ExerciseResult {
                            status: "error".into(),
                            points: 0.0,
                            max: p.max,
                            tests: Vec::new(),
                            build_log: format!("the grader could not run this exercise: {e:#}"),
                        },
                    }
                }
                Err(e) => ExerciseResult {
                    status: "build-error".into(),
                    points: 0.0,
                    max: p.max,
                    tests: Vec::new(),
                    build_log: format!("{e:#}"),
                },
            };
            result.total += graded.points;
            if let Some(note) = trouble(&p.ex.id, &graded) {
                result.flags.push(note);
            }
            result.exercises.insert(p.ex.id.clone(), graded);
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
        if !self.sandboxed() {
            result.flags.push("not sandboxed (bubblewrap not available)".into());
        }
        result
    }

    /// Grades every entry of the submissions folder, `jobs` at a time.
    pub fn grade_all(
        &self,
        entries: &[submission::Entry],
        jobs: usize,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Vec<StudentResult> {
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<StudentResult>>> = Mutex::new(vec![None; entries.len()]);
        std::thread::scope(|scope| {
            for _ in 0..jobs.max(1).min(entries.len().max(1)) {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(entry) = entries.get(i) else { break };
                        let r = self.grade_entry(entry, &|| progress(&entry.student));
                        results.lock().expect("no poisoned lock")[i] = Some(r);
                    }
                });
            }
        });
        results.into_inner().expect("no poisoned lock").into_iter().flatten().collect()
    }

    /// Grades the reference solutions and the untouched stubs.
    pub fn self_check(&self) -> Result<(StudentResult, StudentResult)> {
        let mut out = Vec::new();
        for (name, make) in [("reference-solutions", true), ("untouched-stubs", false)] {
            let mut r = StudentResult {
                student: name.into(),
                rejected: None,
                flags: Vec::new(),
                exercises: BTreeMap::new(),
                total: 0.0,
                max: self.prepared.iter().map(|p| p.max).sum(),
            };
            for p in &self.prepared {
                let files = if make {
                    sources::solution(&self.root, p.ex)?
                } else {
                    sources::stub(&self.root, p.ex)?
                };
                let mut g = self.grade_sources_with(p, &files, false, !self.force)?;
                g.max = p.max;
                if !make && g.status == "graded" && g.tests.iter().any(|t| t.status == "pass") {
                    let free: Vec<&str> = g
                        .tests
                        .iter()
                        .filter(|t| t.status == "pass")
                        .map(|t| t.name.as_str())
                        .collect();
                    g.build_log =
                        format!("tests that pass on the untouched stub: {}", free.join(", "));
                }
                r.total += g.points;
                r.exercises.insert(p.ex.id.clone(), g);
            }
            out.push(r);
        }
        let stub = out.pop().expect("two");
        let solution = out.pop().expect("two");
        Ok((solution, stub))
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
        std::fs::create_dir_all(out.join("feedback"))
            .with_context(|| format!("could not create {}", out.display()))?;
        write_atomic(&out.join("gradebook.csv"), &gradebook_csv(book)?)?;
        write_atomic(&out.join("results.json"), serde_json::to_string_pretty(book)?.as_bytes())?;
        for s in &book.students {
            let name = format!("{}.md", safe_file_name(&s.student));
            write_atomic(&out.join("feedback").join(name), self.feedback(s).as_bytes())?;
        }
        let figure = out.join("scores.svg");
        draw_scores(&figure, book)?;
        write_atomic(&out.join("report.md"), self.report(book).as_bytes())?;
        Ok(())
    }

    fn chapter(&self, id: &str) -> String {
        self.manifest
            .find(id)
            .map(|e| format!("{}/src/{}", self.manifest.course.book, e.chapter))
            .unwrap_or_default()
    }

    fn feedback(&self, s: &StudentResult) -> String {
        let mut md = format!("# Feedback for {}\n\n", s.student);
        if let Some(why) = &s.rejected {
            md.push_str(&format!("Your submission could not be graded: {why}.\n\nSubmit a folder, a .zip or a .tar.gz of your copy of the course (or of its `exercises/` folder), without links.\n"));
            return md;
        }
        md.push_str(&format!(
            "Total: **{} of {} points**.\n\n",
            fmt_points(s.total),
            fmt_points(s.max)
        ));
        for flag in &s.flags {
            md.push_str(&format!("> Note: {flag}.\n\n"));
        }
        for (id, e) in &s.exercises {
            let title = self.manifest.find(id).map(|x| x.title.as_str()).unwrap_or("");
            md.push_str(&format!(
                "## Exercise {id}, {title}: {} of {} points\n\n",
                fmt_points(e.points),
                fmt_points(e.max)
            ));
            match e.status.as_str() {
                "missing" => md.push_str(&format!("No `exercises/exercise-{id}/src/` in your submission.\n\n")),
                "not-started" => md.push_str("Your files are still the untouched stub: start with the chapter, then `cargo test -p exercise-ID`.\n\n".replace("ID", id).as_str()),
                "build-error" | "error" => {
                    md.push_str("Your code did not compile, so no test could run. The compiler said:\n\n```text\n");
                    md.push_str(&e.build_log);
                    md.push_str("\n```\n\n");
                }
                _ => {
                    let failed: Vec<&TestOutcome> = e.tests.iter().filter(|t| t.status != "pass").collect();
                    if failed.is_empty() {
                        md.push_str("Every test passes. Well done!\n\n");
                    } else {
                        md.push_str(&format!("{} of {} tests pass. What failed:\n\n", e.tests.len() - failed.len(), e.tests.len()));
                        for t in failed {
                            md.push_str(&format!("### `{}` ({})\n\n```text\n{}\n```\n\n", short_name(&t.name), t.status, t.message.trim()));
                        }
                    }
                }
            }
            if e.points < e.max {
                md.push_str(&format!("Read again: `{}`; run `cargo test -p exercise-{id}` to see these messages yourself.\n\n", self.chapter(id)));
            }
        }
        md
    }

    fn report(&self, book: &Gradebook) -> String {
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
            md.push_str("Every test ran under bubblewrap: read-only file system but for a fresh home and temporary folder, no network, its own processes, a time limit, a memory limit and capped output.\n\n");
        } else {
            md.push_str("**Warning: the tests were not sandboxed** (bubblewrap is not installed): a hostile submission could have written outside its folder. Install `bubblewrap` and grade again with `--force`.\n\n");
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
        let mut failures: BTreeMap<(String, String), (usize, String)> = BTreeMap::new();
        for s in &graded {
            for (id, e) in &s.exercises {
                for t in e.tests.iter().filter(|t| {
                    t.status != "pass"
                        && !t.message.contains(&format!("still calls {}", crate::stub::todo_call()))
                }) {
                    let hint = t
                        .message
                        .lines()
                        .find_map(|l| l.trim().strip_prefix("hint:"))
                        .unwrap_or("")
                        .trim()
                        .to_string();
                    let entry = failures
                        .entry((id.clone(), short_name(&t.name).to_string()))
                        .or_insert((0, hint));
                    entry.0 += 1;
                }
            }
        }
        let mut most: Vec<_> = failures.into_iter().collect();
        most.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
        if !most.is_empty() {
            md.push_str("\n## The tests failed most often\n\nWhat the class may not have understood yet (the hint names the usual mistake; functions not written yet are left out):\n\n| exercise | test | students | hint |\n|---|---|---|---|\n");
            for ((id, test), (n, hint)) in most.iter().take(15) {
                md.push_str(&format!("| {id} | `{test}` | {n} | {} |\n", hint.replace('|', "\\|")));
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
            .filter(|s| s.flags.iter().any(|f| !f.starts_with("not sandboxed")))
            .collect();
        if !flagged.is_empty() {
            md.push_str("\n## Flagged submissions\n\n");
            for s in flagged {
                md.push_str(&format!("- {}: {}\n", s.student, s.flags.join("; ")));
            }
        }
        md
    }
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

/// A GitHub Classroom autograding workflow that grades each student's push
/// with this grader: the course's own tests (checked out from the course's
/// repository at `course_ref`, never the student's copies), one autograding
/// step per test with the manifest's points, and the classroom reporter.
pub fn classroom_workflow(
    course_repository: &str,
    course_ref: &str,
    tests: &[(String, String, f64)],
    exercises: &[String],
) -> String {
    let mut y = String::new();
    y.push_str("# Written by `cargo workbook classroom`: each push is graded by the course's\n");
    y.push_str("# own grader with the course's pristine tests; only the student's\n");
    y.push_str("# exercises/exercise-NN/src/**/*.rs are taken from the push.\n");
    y.push_str("name: Autograding\n\"on\":\n  - push\n  - repository_dispatch\n");
    y.push_str("permissions:\n  checks: write\n  actions: read\n  contents: read\n");
    y.push_str("jobs:\n  autograding:\n    runs-on: ubuntu-latest\n    if: github.actor != 'github-classroom[bot]'\n    timeout-minutes: 60\n    steps:\n");
    y.push_str("      - name: Check out the submission\n        uses: actions/checkout@v4\n        with:\n          path: submission\n");
    y.push_str(&format!(
        "      - name: Check out the course (pristine tests)\n        uses: actions/checkout@v4\n        with:\n          repository: {course_repository}\n          ref: {course_ref}\n          path: course\n"
    ));
    y.push_str("      - name: Install the sandbox\n        run: sudo apt-get update -q && sudo apt-get install -y -q bubblewrap\n");
    y.push_str(&format!(
        "      - name: Grade\n        run: |\n          mkdir -p submissions\n          rm -rf submission/.git submission/target\n          mv submission submissions/student\n          cd course && cargo workbook grade ../submissions --out ../grades --exercises {}\n",
        exercises.join(",")
    ));
    let mut ids = Vec::new();
    for (i, (ex, test, points)) in tests.iter().enumerate() {
        let id = format!("t{:03}-ex{ex}", i + 1);
        y.push_str(&format!(
            "      - name: \"{ex}: {test}\"\n        id: {id}\n        uses: classroom-resources/autograding-command-grader@v1\n        with:\n          test-name: \"{ex}: {test}\"\n          command: cd course && cargo workbook grade-result ../grades student {ex} '{test}'\n          timeout: 5\n          max-score: {}\n",
            format_points(*points)
        ));
        ids.push(id);
    }
    y.push_str("      - name: Report\n        uses: classroom-resources/autograding-grading-reporter@v1\n        env:\n");
    for id in &ids {
        y.push_str(&format!(
            "          {}_RESULTS: \"${{{{steps.{id}.outputs.result}}}}\"\n",
            id.to_uppercase()
        ));
    }
    y.push_str(&format!("        with:\n          runners: {}\n", ids.join(",")));
    y
}

fn format_points(p: f64) -> String {
    if p.fract() == 0.0 { format!("{p:.0}") } else { format!("{p}") }
}

/// Whether `test` of `exercise` passed for `student` in a grading run's
/// results.json; the learner's message when it did not.
pub fn test_result(
    out: &Path,
    student: &str,
    exercise: &str,
    test: &str,
) -> Result<std::result::Result<(), String>> {
    let path = out.join("results.json");
    let book: Gradebook = serde_json::from_str(
        &std::fs::read_to_string(&path)
            .with_context(|| format!("could not read {}", path.display()))?,
    )
    .with_context(|| format!("{} is not a grader's results.json", path.display()))?;
    let s = book
        .students
        .iter()
        .find(|s| s.student == student)
        .with_context(|| format!("{} has no student {student}", path.display()))?;
    if let Some(why) = &s.rejected {
        return Ok(Err(format!("the submission was rejected: {why}")));
    }
    let e =
        s.exercises.get(exercise).with_context(|| format!("exercise {exercise} was not graded"))?;
    match e.tests.iter().find(|t| t.name == test) {
        Some(t) if t.status == "pass" => Ok(Ok(())),
        Some(t) => Ok(Err(t.message.clone())),
        None if e.status == "graded" => bail!("exercise {exercise} has no test {test}"),
        None => Ok(Err(format!(
            "exercise {exercise}: {}{}",
            e.status,
            if e.build_log.is_empty() { String::new() } else { format!("\n{}", e.build_log) }
        ))),
    }
}
