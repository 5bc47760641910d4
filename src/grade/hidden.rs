//! The instructor's hidden tests: test files added at grading time only,
//! and the public descriptions that feedback shows instead of their code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::course::manifest::Exercise;
use crate::engine::TestFile;

/// Hidden tests of one exercise.
#[derive(Debug, Clone, Default)]
pub struct Hidden {
    pub files: Vec<TestFile>,
    /// Test name (short) → public description.
    pub descriptions: BTreeMap<String, String>,
}

impl Hidden {
    pub fn suites(&self) -> BTreeSet<String> {
        self.files.iter().map(|f| f.name.trim_end_matches(".rs").to_string()).collect()
    }
}

pub fn load(dir: Option<&Path>, ex: &Exercise) -> Result<Hidden> {
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
            hidden.files.push(TestFile { name: format!("hidden_{stem}.rs"), text });
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
