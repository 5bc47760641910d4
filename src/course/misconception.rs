//! The misconception catalogue: plausible wrong versions of a reference
//! solution, each with the words a failing test's message must contain.
//!
//! A misconception is a TOML file in `solutions/solution-ID/misconceptions/`:
//!
//! ```toml
//! title = "Divides by n − 1 instead of n"
//! why = "the sample-variance habit: n − 1 is for estimating a variance, not for a mean loss"
//! hint = "n − 1"            # a failing test's message must contain this
//! file = "lib.rs"           # under src/; this is the default
//!
//! [[edit]]
//! find = "sum / n"          # must occur exactly once in the file
//! replace = "sum / (n - 1.0)"
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::course::manifest::Exercise;
use crate::course::sources::Sources;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Misconception {
    #[serde(skip)]
    pub name: String,
    pub title: String,
    pub why: String,
    pub hint: String,
    #[serde(default = "lib_rs")]
    pub file: PathBuf,
    #[serde(rename = "edit")]
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    pub find: String,
    pub replace: String,
}

fn lib_rs() -> PathBuf {
    PathBuf::from("lib.rs")
}

/// Every misconception of an exercise, sorted by file name.
pub fn load_all(root: &Path, ex: &Exercise) -> Result<Vec<Misconception>> {
    let dir = root.join(ex.solution_dir()).join("misconceptions");
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("could not read {}", path.display()))?;
        let mut m: Misconception = toml::from_str(&text)
            .with_context(|| format!("{} is not a valid misconception", path.display()))?;
        m.name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        out.push(m);
    }
    Ok(out)
}

impl Misconception {
    /// The reference solution with this mistake put in.
    pub fn apply(&self, solution: &Sources) -> Result<Sources> {
        let mut out = solution.clone();
        let Some(text) = out.get_mut(&self.file) else {
            bail!(
                "misconception {}: the solution has no file src/{}",
                self.name,
                self.file.display()
            );
        };
        // A checkout with `\r\n` line ends (git's autocrlf): the catalogue's
        // multi-line edits are written with `\n`.
        let eol = crate::util::eol::of(text);
        for edit in &self.edits {
            let find = crate::util::eol::to(&edit.find, eol);
            let count = text.matches(&find).count();
            if count != 1 {
                bail!(
                    "misconception {}: `{}` occurs {count} times in src/{}; it must occur exactly once",
                    self.name,
                    edit.find,
                    self.file.display()
                );
            }
            *text = text.replacen(&find, &crate::util::eol::to(&edit.replace, eol), 1);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multi_line_edit_applies_to_a_crlf_checkout() {
        let m = Misconception {
            name: "m".into(),
            title: String::new(),
            why: String::new(),
            hint: String::new(),
            file: lib_rs(),
            edits: vec![Edit { find: "a\n    b".into(), replace: "a\n    c".into() }],
        };
        let solution = Sources::from([(lib_rs(), "fn f() {\r\n    a\r\n    b\r\n}\r\n".into())]);
        let applied = m.apply(&solution).unwrap();
        assert_eq!(applied[&lib_rs()], "fn f() {\r\n    a\r\n    c\r\n}\r\n");
    }
}
