//! The course manifest, `course.toml`: the one list of exercises.
//!
//! The command-line tool, the course's own tests, the grader and the book's
//! exercise pages read it; nothing else lists exercises.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

pub const FILE_NAME: &str = "course.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub course: Course,
    #[serde(rename = "exercise", default)]
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Course {
    pub title: String,
    /// Folder of the mdBook, relative to the course root.
    pub book: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Two digits, "01"; the crates are `exercise-ID` and `solution-ID`.
    pub id: String,
    pub title: String,
    /// The exercise's chapter, relative to the book's `src/`.
    pub chapter: String,
    /// Points for each test not in a group.
    #[serde(default = "one")]
    pub points: u32,
    /// Groups of tests worth a number of points together, shared equally.
    #[serde(default, rename = "group")]
    pub groups: Vec<Group>,
    /// Hints in steps: a nudge first, stronger ones after. The last step,
    /// where the reference solution is, is added by the tool.
    pub hints: Vec<String>,
    /// The parts of the exercise beyond its core, for homework or a second
    /// day: every test not in one of them is the core, what the one-day
    /// workshop needs from this step.
    #[serde(default)]
    pub deeper: Vec<Deeper>,
}

/// A part of an exercise beyond its core (`[[exercise.deeper]]`). The
/// course's own tests check that the listing is true: with the functions of
/// every deeper part left as the stub has them, every core test passes and
/// every deeper test fails; with one part's functions left undone, every
/// test of that part fails.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deeper {
    /// A few words: "momentum, dampening and Nesterov".
    pub name: String,
    /// The heading of the chapter's section about it, as an anchor
    /// ("momentum" for `## Momentum`).
    pub section: String,
    /// The functions the learner writes for it: the solution's regions, by
    /// the function they are in (`momentum_buffer`, `Adam::step`).
    pub functions: Vec<String>,
    /// Its tests, by name as the test binary lists them (`sgd::nesterov_steps`),
    /// or by a prefix ending in `*` (`adam::*`).
    pub tests: Vec<String>,
    /// What the part's tests are worth together in a grade, shared equally
    /// (an instructor's choice: 0 grades the core path alone). Unset, each
    /// test is worth the exercise's `points`.
    pub points: Option<u32>,
}

impl Deeper {
    /// Whether `test` (`module::name`) is one of this part's tests.
    pub fn has_test(&self, test: &str) -> bool {
        self.tests.iter().any(|pattern| match pattern.strip_suffix('*') {
            Some(prefix) => test.starts_with(prefix),
            None => test == pattern,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    /// Tests whose name starts with this prefix belong to the group.
    pub prefix: String,
    pub points: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Error)]
pub enum ManifestError {
    #[error(
        "could not find {FILE_NAME} in {0} or any folder above it; run the command inside the course repository"
    )]
    NotFound(PathBuf),
    #[error("could not read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error(
        "{path} is not valid: {message}\n(if you edited it by hand, `git checkout -- {FILE_NAME}` restores the course's version)"
    )]
    Parse { path: PathBuf, message: String },
}

impl Exercise {
    pub fn package(&self) -> String {
        format!("exercise-{}", self.id)
    }
    pub fn solution_package(&self) -> String {
        format!("solution-{}", self.id)
    }
    /// The exercise crate's folder, relative to the course root.
    pub fn dir(&self) -> PathBuf {
        Path::new("exercises").join(self.package())
    }
    /// The solution crate's folder, relative to the course root.
    pub fn solution_dir(&self) -> PathBuf {
        Path::new("solutions").join(self.solution_package())
    }
    /// The deeper part a test belongs to; `None` for a core test.
    pub fn deeper_part(&self, test: &str) -> Option<&Deeper> {
        self.deeper.iter().find(|d| d.has_test(test))
    }

    /// Whether a test is part of the core path.
    pub fn is_core(&self, test: &str) -> bool {
        self.deeper_part(test).is_none()
    }

    /// Points one test is worth, by the manifest's groups.
    pub fn points_for(&self, test: &str, all_tests: &[String]) -> f64 {
        let short = short_name(test);
        for g in &self.groups {
            if short.starts_with(&g.prefix) {
                let members =
                    all_tests.iter().filter(|t| short_name(t).starts_with(&g.prefix)).count();
                return g.points as f64 / members.max(1) as f64;
            }
        }
        if let Some(part) = self.deeper_part(test)
            && let Some(points) = part.points
        {
            let members = all_tests.iter().filter(|t| part.has_test(t)).count();
            return points as f64 / members.max(1) as f64;
        }
        self.points as f64
    }
}

/// A test's name without its module path.
pub fn short_name(test: &str) -> &str {
    test.rsplit("::").next().unwrap_or(test)
}

impl Manifest {
    pub fn parse(text: &str, path: &Path) -> Result<Manifest, ManifestError> {
        let manifest: Manifest = toml::from_str(text).map_err(|e| ManifestError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        manifest
            .validate()
            .map_err(|message| ManifestError::Parse { path: path.to_path_buf(), message })?;
        Ok(manifest)
    }

    pub fn load(root: &Path) -> Result<Manifest, ManifestError> {
        let path = root.join(FILE_NAME);
        let text = std::fs::read_to_string(&path)
            .map_err(|source| ManifestError::Read { path: path.clone(), source })?;
        Manifest::parse(&text, &path)
    }

    fn validate(&self) -> Result<(), String> {
        let mut seen = BTreeSet::new();
        for e in &self.exercises {
            if e.id.len() != 2 || !e.id.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("exercise id \"{}\" must be two digits, like \"01\"", e.id));
            }
            if !seen.insert(e.id.clone()) {
                return Err(format!("exercise id \"{}\" appears twice", e.id));
            }
            if e.hints.is_empty() {
                return Err(format!("exercise {} has no hints; give at least a nudge", e.id));
            }
            for d in &e.deeper {
                if d.functions.is_empty() || d.tests.is_empty() {
                    return Err(format!(
                        "exercise {}: the deeper part \"{}\" needs `functions` and `tests`",
                        e.id, d.name
                    ));
                }
            }
        }
        if self.exercises.is_empty() {
            return Err("the course lists no [[exercise]]".into());
        }
        Ok(())
    }

    /// Finds an exercise by id ("01", "1") or crate name ("exercise-01").
    pub fn find(&self, key: &str) -> Option<&Exercise> {
        let key = key.trim();
        let key = key.strip_prefix("exercise-").unwrap_or(key);
        let padded = if key.len() == 1 { format!("0{key}") } else { key.to_string() };
        self.exercises.iter().find(|e| e.id == padded)
    }
}

/// The course root: the nearest folder at or above `start` that holds
/// `course.toml`.
pub fn find_root(start: &Path) -> Result<PathBuf, ManifestError> {
    let mut dir = start;
    loop {
        if dir.join(FILE_NAME).is_file() {
            return Ok(dir.to_path_buf());
        }
        match dir.parent() {
            Some(parent) => dir = parent,
            None => return Err(ManifestError::NotFound(start.to_path_buf())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
[course]
title = "T"
book = "book"

[[exercise]]
id = "01"
title = "Generating data"
chapter = "exercises/01.md"
hints = ["nudge"]
group = [{ name = "csv", prefix = "csv_", points = 6 }]
"#;

    #[test]
    fn points_come_from_groups_or_the_default() {
        let m = Manifest::parse(SAMPLE, Path::new("course.toml")).unwrap();
        let e = m.find("1").unwrap();
        let tests = vec!["csv_a".to_string(), "csv_b".to_string(), "other".to_string()];
        assert_eq!(e.points_for("csv_a", &tests), 3.0);
        assert_eq!(e.points_for("other", &tests), 1.0);
        assert_eq!(e.package(), "exercise-01");
    }

    #[test]
    fn a_test_is_core_unless_a_deeper_part_lists_it() {
        let text = SAMPLE.to_string()
            + "\n[[exercise.deeper]]\nname = \"Adam\"\nsection = \"adam\"\nfunctions = [\"Adam::step\"]\ntests = [\"adam::*\", \"pytorch::adam_steps\"]\n";
        let m = Manifest::parse(&text, Path::new("course.toml")).unwrap();
        let e = m.find("01").unwrap();
        assert_eq!(e.deeper_part("adam::one_step").map(|d| d.name.as_str()), Some("Adam"));
        assert!(!e.is_core("pytorch::adam_steps"));
        assert!(e.is_core("pytorch::adam_steps_twice"), "an exact name is not a prefix");
        assert!(e.is_core("sgd::adam_like"));
        let tests: Vec<String> =
            ["adam::a", "adam::b", "sgd::c"].iter().map(|t| t.to_string()).collect();
        assert_eq!(e.points_for("adam::a", &tests), 1.0, "unweighted, as every test");
        let weighted = text.replace("name = \"Adam\"", "name = \"Adam\"\npoints = 5");
        let m = Manifest::parse(&weighted, Path::new("course.toml")).unwrap();
        let e = m.find("01").unwrap();
        assert_eq!(e.points_for("adam::b", &tests), 2.5, "the part's points, shared");
        assert_eq!(e.points_for("sgd::c", &tests), 1.0);
        let empty = SAMPLE.to_string()
            + "\n[[exercise.deeper]]\nname = \"Adam\"\nsection = \"adam\"\nfunctions = []\ntests = [\"adam::*\"]\n";
        let err = Manifest::parse(&empty, Path::new("course.toml")).unwrap_err().to_string();
        assert!(err.contains("needs `functions` and `tests`"), "{err}");
    }

    #[test]
    fn a_broken_manifest_says_where_and_what_to_do() {
        let err = Manifest::parse("[course]\ntitle = 1", Path::new("course.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("course.toml is not valid"), "{err}");
        assert!(err.contains("git checkout"), "{err}");
        let dup = SAMPLE.to_string()
            + "\n[[exercise]]\nid = \"01\"\ntitle = \"x\"\nchapter = \"c\"\nhints = [\"h\"]\n";
        let err = Manifest::parse(&dup, Path::new("course.toml")).unwrap_err().to_string();
        assert!(err.contains("appears twice"), "{err}");
    }
}
