//! The little the tool remembers between runs: which hints were shown.
//!
//! Progress is never stored (it is computed from the code as it is now); the
//! state is keyed by exercise id, so it survives exercises being reordered.
//! It lives in `.workbook/state.json` (git-ignored), is written atomically
//! (a temporary file renamed into place), and a file that does not parse is
//! kept aside under a new name, never silently overwritten.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::util::fs::write_atomic;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct State {
    /// Exercise id → number of hints shown so far.
    #[serde(default)]
    pub hints_shown: BTreeMap<String, usize>,
}

pub fn path(root: &Path) -> PathBuf {
    root.join(".workbook").join("state.json")
}

/// Loads the state. A missing file is a fresh state; a file that does not
/// parse is renamed to `state.json.broken-TIMESTAMP`, a warning says so, and
/// a fresh state is used.
pub fn load(root: &Path) -> Result<(State, Option<String>)> {
    let path = path(root);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((State::default(), None)),
        Err(e) => return Err(e).with_context(|| format!("could not read {}", path.display())),
    };
    match serde_json::from_str(&text) {
        Ok(state) => Ok((state, None)),
        Err(e) => {
            let stamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs();
            let aside = path.with_file_name(format!("state.json.broken-{stamp}"));
            std::fs::rename(&path, &aside)
                .with_context(|| format!("could not move {} aside", path.display()))?;
            Ok((
                State::default(),
                Some(format!(
                    "{} did not parse ({e}); it was kept as {} and the tool starts from a fresh state (only hint counters are stored there)",
                    path.display(),
                    aside.display()
                )),
            ))
        }
    }
}

/// Saves the state atomically.
pub fn save(root: &Path, state: &State) -> Result<()> {
    let path = path(root);
    write_atomic(&path, serde_json::to_string_pretty(state)?.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_state_file_is_kept_aside_and_a_fresh_state_used() {
        let root = std::env::temp_dir().join(format!("wb-state-{}", std::process::id()));
        std::fs::create_dir_all(root.join(".workbook")).unwrap();
        std::fs::write(path(&root), "{ not json").unwrap();
        let (state, warning) = load(&root).unwrap();
        assert_eq!(state, State::default());
        let warning = warning.expect("a warning");
        assert!(warning.contains("did not parse") && warning.contains("broken-"), "{warning}");
        let kept: Vec<_> =
            std::fs::read_dir(root.join(".workbook")).unwrap().filter_map(|e| e.ok()).collect();
        assert!(
            kept.iter().any(|e| e.file_name().to_string_lossy().starts_with("state.json.broken-"))
        );
        let mut s = State::default();
        s.hints_shown.insert("01".into(), 2);
        save(&root, &s).unwrap();
        assert_eq!(load(&root).unwrap().0, s);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
