//! Which function seems to loop: when a submission's tests run out of time,
//! the functions of the exercise that every one of them calls are the
//! suspects: directly, through the test file's helpers, or through the
//! submission's own functions (a `predict_all` that calls a looping
//! `predict`). Read from the course's public test sources, never from the
//! hidden tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Result;

use crate::course::manifest::{Exercise, short_name};
use crate::course::sources::Sources;
use crate::util::fs::walk;

/// For each public test (by its short name), the exercise's functions it
/// calls.
#[derive(Debug, Clone, Default)]
pub struct Calls {
    functions: BTreeSet<String>,
    by_test: BTreeMap<String, BTreeSet<String>>,
}

/// The functions that seem to loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suspects {
    /// Every test that ran out of time calls these.
    Every(Vec<String>),
    /// No function is common to them all; between them, these are called
    /// by every one (several seem to loop).
    Several(Vec<String>),
}

impl Calls {
    /// Reads exercise `ex`'s public tests in the course at `root`; the
    /// exercise's functions are the `pub fn`s of `solution`.
    pub fn read(root: &Path, ex: &Exercise, solution: &Sources) -> Result<Calls> {
        let functions: BTreeSet<String> =
            solution.values().flat_map(|text| public_functions(text)).collect();
        let mut bodies: BTreeMap<String, String> = BTreeMap::new();
        let dir = root.join(ex.dir()).join("tests");
        for f in walk(&dir, &|_| false)? {
            if f.kind.is_file() && f.path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&f.path)?;
                for (name, body) in functions_of(&strip(&text)) {
                    bodies.entry(name).or_default().push_str(&body);
                }
            }
        }
        let by_test =
            bodies.keys().map(|name| (name.clone(), reached(&bodies, name, &functions))).collect();
        Ok(Calls { functions, by_test })
    }

    /// The suspects among the exercise's functions when the tests
    /// `timed_out` ran out of time and the tests `finished` did not, with
    /// the submission's `sources` (whose functions may call each other).
    /// `None` when no public test ran out of time, or none is known.
    pub fn suspects(
        &self,
        timed_out: &[&str],
        finished: &[&str],
        sources: &Sources,
    ) -> Option<Suspects> {
        // The submission's own calls between the exercise's functions.
        let mut bodies: BTreeMap<String, String> = BTreeMap::new();
        for text in sources.values() {
            for (name, body) in functions_of(&strip(text)) {
                if self.functions.contains(&name) {
                    bodies.entry(name).or_default().push_str(&body);
                }
            }
        }
        let calls = |t: &&str| -> Option<BTreeSet<String>> {
            let direct = self.by_test.get(short_name(t))?;
            let mut all = direct.clone();
            for f in direct {
                if bodies.contains_key(f) {
                    all.extend(reached(&bodies, f, &self.functions));
                }
            }
            Some(all)
        };
        let slow: Vec<BTreeSet<String>> = timed_out.iter().filter_map(calls).collect();
        let done: Vec<BTreeSet<String>> = finished.iter().filter_map(calls).collect();
        let first = slow.first()?;
        let common: Vec<&String> =
            first.iter().filter(|f| slow.iter().all(|set| set.contains(*f))).collect();
        if !common.is_empty() {
            // Of those, the ones that the fewest finished tests call.
            let finished_calls = |f: &String| done.iter().filter(|set| set.contains(f)).count();
            let fewest = common.iter().map(|f| finished_calls(f)).min();
            let picked = common.iter().filter(|f| Some(finished_calls(f)) == fewest);
            return Some(Suspects::Every(picked.map(|f| f.to_string()).collect()));
        }
        // No function is common to all: the few that between them are
        // called by every slow test (each time the one called by most of
        // the tests not covered yet).
        let mut left: Vec<&BTreeSet<String>> = slow.iter().collect();
        let mut cover = Vec::new();
        while !left.is_empty() && cover.len() < 4 {
            let mut counts: BTreeMap<&String, usize> = BTreeMap::new();
            for f in left.iter().copied().flatten() {
                *counts.entry(f).or_default() += 1;
            }
            let Some((best, _)) = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            else {
                break;
            };
            let best = best.to_string();
            left.retain(|set| !set.contains(&best));
            cover.push(best);
        }
        (!cover.is_empty()).then_some(Suspects::Several(cover))
    }
}

/// The exercise's `functions` that `start` reaches in `bodies` (function
/// name → body), through the other functions of `bodies`; `start` itself
/// only if it is one of `functions`.
fn reached(
    bodies: &BTreeMap<String, String>,
    start: &str,
    functions: &BTreeSet<String>,
) -> BTreeSet<String> {
    let mut called = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut stack = vec![start.to_string()];
    while let Some(f) = stack.pop() {
        if !seen.insert(f.clone()) {
            continue;
        }
        if functions.contains(&f) {
            called.insert(f.clone());
        }
        let Some(body) = bodies.get(&f) else { continue };
        for word in identifiers(body) {
            if functions.contains(word) || bodies.contains_key(word) {
                stack.push(word.to_string());
            }
        }
    }
    if !functions.contains(start) {
        called.remove(start);
    }
    called
}

/// The names of the `pub fn`s of a source file.
fn public_functions(text: &str) -> Vec<String> {
    let text = strip(text);
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("pub fn ") {
        rest = &rest[i + "pub fn ".len()..];
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

/// Every `fn NAME … { BODY }` of a source (comments and literals already
/// blanked by [`strip`]), with its body.
fn functions_of(text: &str) -> Vec<(String, String)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = text[i..].find("fn ") {
        let start = i + at;
        i = start + 3;
        let word_before =
            start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        if word_before {
            continue;
        }
        let name: String =
            text[i..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if name.is_empty() {
            continue;
        }
        // The body: from the first `{` (before any `;`) to its matching `}`.
        let Some(open) = text[i..].find(['{', ';']).map(|o| i + o) else { break };
        if bytes[open] == b';' {
            continue;
        }
        let mut depth = 0usize;
        let mut end = open;
        for (k, b) in bytes[open..].iter().enumerate() {
            match b {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + k;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push((name, text[open..=end.max(open)].to_string()));
        // Nested functions are found too: go on from inside this body.
        i = open + 1;
    }
    out
}

/// The identifiers of a text.
fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty())
}

/// `text` with comments, string literals and character literals replaced by
/// spaces (their braces would confuse the matching of bodies).
fn strip(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !prev_is_word(&chars, i) {
            // A raw string: r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            while j < chars.len() {
                if chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            i = j;
            out.push_str("\"\"");
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A character literal ('x', '\n', '{') or a lifetime ('a).
            let close = if next == Some('\\') {
                (i + 2..chars.len().min(i + 12)).find(|&j| chars[j] == '\'')
            } else {
                (chars.get(i + 2) == Some(&'\'')).then_some(i + 2)
            };
            match close {
                Some(j) => {
                    out.push_str("' '");
                    i = j + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev_is_word(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_comments_do_not_count_as_code() {
        let text = "fn a() { let s = \"{ not a brace\"; let c = '{'; // }\n f(r#\"}\"#) }\nfn b<'x>(v: &'x str) {}";
        let fns = functions_of(&strip(text));
        let names: Vec<&str> = fns.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert!(fns[0].1.contains("f(") && !fns[0].1.contains("not a brace"));
    }

    #[test]
    fn the_suspect_is_what_every_slow_test_calls_through_helpers_and_the_submission() {
        let set = |calls: &[&str]| calls.iter().map(|c| c.to_string()).collect();
        let mut calls =
            Calls { functions: set(&["predict", "predict_all", "mse"]), ..Calls::default() };
        calls.by_test.insert("t1".into(), set(&["predict"]));
        calls.by_test.insert("t2".into(), set(&["predict", "mse"]));
        calls.by_test.insert("t3".into(), set(&["mse"]));
        calls.by_test.insert("t4".into(), set(&["predict_all"]));
        let own = Sources::new();
        let every = |fs: &[&str]| Some(Suspects::Every(fs.iter().map(|f| f.to_string()).collect()));
        assert_eq!(calls.suspects(&["t1", "m::t2"], &["t3"], &own), every(&["predict"]));
        assert_eq!(
            calls.suspects(&["t1", "t3"], &[], &own),
            Some(Suspects::Several(vec!["mse".into(), "predict".into()])),
            "nothing in common"
        );
        // The submission's predict_all calls its predict: that is the common one.
        let mut own = Sources::new();
        own.insert(
            "lib.rs".into(),
            "pub fn predict_all(x: &[f64]) -> Vec<f64> { x.iter().map(|x| predict(*x)).collect() }"
                .into(),
        );
        assert_eq!(calls.suspects(&["t1", "t4"], &["t3"], &own), every(&["predict"]));
        assert_eq!(calls.suspects(&[], &["t3"], &own), None);
        assert_eq!(public_functions("pub fn predict(x: f64) {}\nfn private() {}"), ["predict"]);
    }
}
