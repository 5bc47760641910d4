//! Mutation testing: does every test suite catch small changes to the code
//! it checks, not only the misconceptions someone thought of?
//!
//! For one exercise, its reference solution is put in place of the stub in a
//! slot (a scratch copy of the course), and cargo-mutants changes the code
//! between `BEGIN SOLUTION` and `END SOLUTION`, one small change (a mutant)
//! at a time: an operator swapped, a body replaced by a default value, a
//! condition negated. What the learner is given (signatures, types, the
//! helpers outside the regions) is not the learner's to get wrong, so it is
//! not mutated. Each mutant is built and the exercise's tests are run on it;
//! a mutant that no test fails *survives*.
//!
//! Every survivor must be killed by a new test, or listed in
//! `solutions/solution-NN/mutants.toml` as equivalent (it behaves exactly as
//! the solution does), with a reason anyone can check:
//!
//! ```toml
//! [[equivalent]]
//! mutant = "replace > with >= in check_step"   # as `dev mutants` prints it
//! reason = "h = 0 is refused by the is_finite check before, so > and >= agree"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::course::manifest::Exercise;
use crate::course::sources::{self, Sources};
use crate::course::stub;
use crate::engine::Engine;
use crate::util::fs::write_atomic;
use crate::util::hash::Fingerprint;

/// The file that lists an exercise's equivalent mutants, in its solution's folder.
pub const EQUIVALENTS_FILE: &str = "mutants.toml";

/// The file, beside it, that records what the last clean run checked (see
/// [`fingerprint`]), so that the course's test command reruns only the
/// exercises whose code or tests changed since.
pub const CHECKED_FILE: &str = "mutants.checked";

/// The pinned cargo-mutants version (`scripts/install-mutants`).
pub const TOOL_VERSION: &str = "27.1.0";

/// A fingerprint of what a mutation run of `ex` checks: the solution, the
/// exercise's tests, examples and manifest, the support crate, `mutants.toml`
/// and the tool's version. (Not the lock file: a dependency added to the
/// command-line tool must not send every exercise through a new run.)
pub fn fingerprint(root: &Path, ex: &Exercise) -> Result<String> {
    let mut h = Fingerprint::new();
    h.raw(TOOL_VERSION.as_bytes());
    let exercise = root.join(ex.dir());
    let trees = [
        root.join(ex.solution_dir()).join("src"),
        exercise.join("tests"),
        exercise.join("examples"),
        root.join("exercises/support/src"),
    ];
    for dir in trees.iter().filter(|d| d.is_dir()) {
        h.tree(root, dir, &|_| false)?;
    }
    let files = [
        exercise.join("Cargo.toml"),
        root.join("exercises/support/Cargo.toml"),
        root.join(ex.solution_dir()).join(EQUIVALENTS_FILE),
    ];
    for file in files {
        h.field(&std::fs::read(&file).unwrap_or_default());
    }
    Ok(h.hex())
}

/// Whether the last clean run recorded for `ex` checked what is there now.
pub fn is_current(root: &Path, ex: &Exercise) -> Result<bool> {
    let path = root.join(ex.solution_dir()).join(CHECKED_FILE);
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    let recorded = recorded.lines().find(|l| !l.starts_with('#')).unwrap_or("").trim();
    Ok(recorded == fingerprint(root, ex)?)
}

/// Records that a clean run checked `ex` as it is now.
pub fn record(root: &Path, ex: &Exercise) -> Result<()> {
    let path = root.join(ex.solution_dir()).join(CHECKED_FILE);
    let text = format!(
        "# Written by `cargo workbook dev mutants` after a run with no unexplained\n# survivor: the fingerprint of the solution, tests and support it checked.\n{}\n",
        fingerprint(root, ex)?
    );
    write_atomic(&path, text.as_bytes())
}

/// What became of one mutant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// A test failed: the tests notice this change.
    Caught,
    /// Every test passed: the tests do not notice it.
    Survived,
    /// The tests did not finish in time (an endless loop counts as caught
    /// for a learner, whose test would time out too).
    TimedOut,
    /// It did not compile.
    Unviable,
}

/// One mutant and its fate.
#[derive(Clone, Debug)]
pub struct Mutant {
    /// What was changed where, without the line number (so that it stays
    /// the same when code moves): e.g. `replace > with >= in check_step`.
    pub name: String,
    /// `file:line:column` in the solution's `src/`.
    pub place: String,
    pub fate: Fate,
    /// The change, as a unified diff.
    pub diff: String,
}

/// A survivor declared harmless in `mutants.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Equivalent {
    pub mutant: String,
    pub reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EquivalentsFile {
    #[serde(default)]
    equivalent: Vec<Equivalent>,
}

/// What a mutation run of one exercise found.
#[derive(Clone, Debug)]
pub struct MutationRun {
    pub exercise: String,
    pub mutants: Vec<Mutant>,
    /// `mutants.toml`'s entries.
    pub equivalents: Vec<Equivalent>,
}

impl MutationRun {
    pub fn count(&self, fate: Fate) -> usize {
        self.mutants.iter().filter(|m| m.fate == fate).count()
    }

    /// Survivors that `mutants.toml` does not explain.
    pub fn unexplained(&self) -> Vec<&Mutant> {
        let declared: Vec<&str> = self.equivalents.iter().map(|e| e.mutant.as_str()).collect();
        self.mutants
            .iter()
            .filter(|m| m.fate == Fate::Survived && !declared.contains(&m.name.as_str()))
            .collect()
    }

    /// Entries of `mutants.toml` that name no surviving mutant (the code or
    /// the tests changed): they must go.
    pub fn stale_equivalents(&self) -> Vec<&Equivalent> {
        let survivors: Vec<&str> = self
            .mutants
            .iter()
            .filter(|m| m.fate == Fate::Survived)
            .map(|m| m.name.as_str())
            .collect();
        self.equivalents.iter().filter(|e| !survivors.contains(&e.mutant.as_str())).collect()
    }

    /// No unexplained survivor and no stale explanation.
    pub fn is_clean(&self) -> bool {
        self.unexplained().is_empty() && self.stale_equivalents().is_empty()
    }
}

/// Reads `solutions/solution-NN/mutants.toml` (none is an empty list).
pub fn load_equivalents(root: &Path, ex: &Exercise) -> Result<Vec<Equivalent>> {
    let path = root.join(ex.solution_dir()).join(EQUIVALENTS_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("could not read {}", path.display())),
    };
    let file: EquivalentsFile = toml::from_str(&text).with_context(|| {
        format!(
            "{} does not parse: it lists `[[equivalent]]` entries with `mutant` and `reason`",
            path.display()
        )
    })?;
    for e in &file.equivalent {
        if e.reason.trim().is_empty() {
            bail!("{}: the equivalent mutant {:?} needs a reason", path.display(), e.mutant);
        }
    }
    Ok(file.equivalent)
}

/// A unified diff that "adds" every line inside a solution region of the
/// files of `solution`, as files under `prefix` (e.g.
/// `exercises/exercise-03/src`): cargo-mutants `--in-diff` then mutates only
/// those lines.
pub fn region_diff(solution: &Sources, prefix: &Path) -> String {
    let mut diff = String::new();
    for (rel, text) in solution {
        let path = prefix.join(rel).display().to_string().replace('\\', "/");
        let mut hunks = Vec::new();
        let mut current: Option<(usize, Vec<&str>)> = None;
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with(stub::BEGIN) {
                current = Some((i + 2, Vec::new()));
            } else if trimmed.starts_with(stub::END) {
                if let Some((start, lines)) = current.take()
                    && !lines.is_empty()
                {
                    hunks.push((start, lines));
                }
            } else if let Some((_, lines)) = current.as_mut() {
                lines.push(line);
            }
        }
        if hunks.is_empty() {
            continue;
        }
        diff.push_str(&format!("--- a/{path}\n+++ b/{path}\n"));
        let mut added_before = 0;
        for (start, lines) in hunks {
            // In the "old" file the added lines are missing: the hunk goes
            // after line start - 1 - (lines added by earlier hunks).
            let old_after = start - 1 - added_before;
            diff.push_str(&format!("@@ -{old_after},0 +{start},{} @@\n", lines.len()));
            for line in &lines {
                diff.push_str(&format!("+{line}\n"));
            }
            added_before += lines.len();
        }
    }
    diff
}

/// Options of a mutation run.
#[derive(Clone, Debug)]
pub struct Options {
    /// The cargo-mutants binary.
    pub tool: PathBuf,
}

/// Runs cargo-mutants on exercise `ex`'s reference solution against the
/// exercise's tests, in a slot of `engine`; `progress` gets cargo-mutants'
/// output line by line. The slot is a scratch copy, so cargo-mutants works
/// in place, building into the slot's own target directory, which the
/// engine's runs keep warm: only the exercise's crate is rebuilt per mutant.
pub fn run(
    root: &Path,
    engine: &Engine,
    ex: &Exercise,
    options: &Options,
    progress: &mut dyn FnMut(&str),
) -> Result<MutationRun> {
    let equivalents = load_equivalents(root, ex)?;
    let solution = sources::solution(root, ex)?;
    let src = ex.dir().join("src");
    let diff = region_diff(&solution, &src);
    if diff.is_empty() {
        bail!("the solution of exercise {} has no solution regions to mutate", ex.id);
    }
    let mutants = engine.in_slot(ex, &solution, |slot, target| {
        let work = target.join("mutants");
        std::fs::create_dir_all(&work)
            .with_context(|| format!("could not create {}", work.display()))?;
        let diff_file = work.join("regions.diff");
        std::fs::write(&diff_file, &diff)?;
        let out_dir = work.join("out");
        let _ = std::fs::remove_dir_all(&out_dir);
        let mut cmd = Command::new(&options.tool);
        cmd.arg("mutants")
            .arg("--dir")
            .arg(slot)
            .args(["--package", &ex.package(), "--no-shuffle", "--colors=never"])
            .arg("--in-diff")
            .arg(&diff_file)
            .arg("--output")
            .arg(&out_dir)
            .arg("--in-place")
            .args(["--minimum-test-timeout", "20"])
            .env("INSTA_UPDATE", "no")
            .env("INSTA_FORCE_PASS", "0")
            .env("RUST_BACKTRACE", "0")
            .env("CARGO_TARGET_DIR", target)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().with_context(|| {
            format!("could not start {}: run scripts/install-mutants", options.tool.display())
        })?;
        if let Some(stdout) = child.stdout.take() {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                progress(&line);
            }
        }
        let status = child.wait()?;
        // cargo-mutants exits 2 when mutants survive, 3 when some time out:
        // results, not failures. Other codes mean it could not do its job.
        if !matches!(status.code(), Some(0 | 2 | 3)) {
            bail!("cargo-mutants failed ({status}) on exercise {}; see its output above", ex.id);
        }
        read_outcomes(&out_dir.join("mutants.out"))
    })?;
    Ok(MutationRun { exercise: ex.id.clone(), mutants, equivalents })
}

/// The mutants and their fates from cargo-mutants' `outcomes.json`.
fn read_outcomes(out: &Path) -> Result<Vec<Mutant>> {
    let path = out.join("outcomes.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cargo-mutants wrote no {}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not cargo-mutants' JSON", path.display()))?;
    let mut mutants = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for outcome in json["outcomes"].as_array().into_iter().flatten() {
        let Some(mutant) = outcome["scenario"].get("Mutant") else { continue };
        let fate = match outcome["summary"].as_str() {
            Some("CaughtMutant") => Fate::Caught,
            Some("MissedMutant") => Fate::Survived,
            Some("Timeout") => Fate::TimedOut,
            Some("Unviable") => Fate::Unviable,
            other => bail!("{}: unknown outcome {other:?}", path.display()),
        };
        let (name, place) = describe(mutant);
        // The same change in the same function twice: number the later ones.
        let n = seen.entry(name.clone()).or_insert(0);
        *n += 1;
        let name = if *n == 1 { name } else { format!("{name} (#{n})") };
        let diff = outcome["diff_path"]
            .as_str()
            .and_then(|rel| std::fs::read_to_string(out.join(rel)).ok())
            .unwrap_or_default();
        mutants.push(Mutant { name, place, fate, diff });
    }
    Ok(mutants)
}

/// A mutant's name without its place, and its place.
fn describe(mutant: &serde_json::Value) -> (String, String) {
    let full = mutant["name"].as_str().unwrap_or_default();
    let file = mutant["file"].as_str().unwrap_or_default();
    let span = &mutant["span"]["start"];
    let place = format!("{file}:{}:{}", span["line"], span["column"]);
    // cargo-mutants names a mutant "FILE:LINE:COL: WHAT"; the place goes.
    let name = match full.strip_prefix(&format!("{place}: ")) {
        Some(rest) => rest.to_string(),
        None => full.split_once(": ").map_or(full, |(_, rest)| rest).to_string(),
    };
    (name, place)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_diff_adds_exactly_the_lines_inside_the_regions() {
        let text = "fn a() -> u8 {\n    // BEGIN SOLUTION: one\n    1\n    // END SOLUTION\n}\n\
                    fn b() -> u8 {\n    // BEGIN SOLUTION: two\n    let x = 2;\n    x\n    // END SOLUTION\n}\n";
        let mut files = Sources::new();
        files.insert(PathBuf::from("lib.rs"), text.to_string());
        files.insert(PathBuf::from("plain.rs"), "fn c() {}\n".to_string());
        let diff = region_diff(&files, Path::new("exercises/exercise-09/src"));
        let expected = "--- a/exercises/exercise-09/src/lib.rs\n+++ b/exercises/exercise-09/src/lib.rs\n\
                        @@ -2,0 +3,1 @@\n+    1\n@@ -6,0 +8,2 @@\n+    let x = 2;\n+    x\n";
        assert_eq!(diff, expected);
    }

    #[test]
    fn a_mutants_name_loses_its_place() {
        let json = serde_json::json!({
            "name": "src/lib.rs:12:7: replace > with >= in check_step",
            "file": "src/lib.rs",
            "span": {"start": {"line": 12, "column": 7}, "end": {"line": 12, "column": 8}},
        });
        let (name, place) = describe(&json);
        assert_eq!(name, "replace > with >= in check_step");
        assert_eq!(place, "src/lib.rs:12:7");
    }
}
