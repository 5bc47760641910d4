//! Fingerprints: one SHA-256 of files and values, for the grader's cache
//! keys and the record of clean mutation runs.

use std::path::Path;

use anyhow::Result;
use sha2::{Digest, Sha256};

use crate::util::fs::walk;

/// A fingerprint being computed.
#[derive(Default)]
pub struct Fingerprint(Sha256);

impl Fingerprint {
    pub fn new() -> Fingerprint {
        Fingerprint::default()
    }

    /// Adds bytes as they are.
    pub fn raw(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Adds bytes and a separator, so that `"ab", "c"` and `"a", "bc"`
    /// differ.
    pub fn field(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
        self.0.update([0]);
    }

    /// Adds every file under `dir` (path relative to `base`, then content),
    /// in sorted order, leaving out what `skip` accepts and insta's leftovers
    /// (`*.snap.new`, `*.pending-snap`).
    pub fn tree(&mut self, base: &Path, dir: &Path, skip: &dyn Fn(&Path) -> bool) -> Result<()> {
        for f in walk(dir, skip)? {
            let name = f.rel.to_string_lossy();
            if f.kind.is_file() && !name.ends_with(".snap.new") && !name.ends_with(".pending-snap")
            {
                self.field(
                    f.path.strip_prefix(base).unwrap_or(&f.path).to_string_lossy().as_bytes(),
                );
                self.field(&std::fs::read(&f.path)?);
            }
        }
        Ok(())
    }

    /// The fingerprint, in hexadecimal.
    pub fn hex(self) -> String {
        self.0.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}
