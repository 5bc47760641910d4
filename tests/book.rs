//! The book's consistency tests: the book can't drift from the code.
//!
//! - every `{{#include …}}` names a file that exists, and an anchor that the
//!   file opens and closes;
//! - every code block copied verbatim under a `<!-- verbatim: PATH -->` marker
//!   is still, line by line and in order, in that file;
//! - every relative link and image points at a file that exists;
//! - every term a chapter links to the glossary has an entry there, and the
//!   glossary is alphabetical, each entry saying where its term is introduced;
//! - every chapter that `course.toml` names is written and in SUMMARY.md;
//! - the committed figures are what the code draws today;
//! - the book builds with the pinned mdBook, without a warning, with its
//!   math typeset at build time and nothing fetched from a CDN when read.

mod common;

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use common::{manifest, root};

/// The book's folder, `book/`.
fn book() -> PathBuf {
    root().join(manifest().course.book)
}

/// The book's sources, `book/src/`.
fn book_src() -> PathBuf {
    book().join("src")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("could not read {}: {e}", path.display()))
}

/// Every file under `dir` whose name ends with `ext`, sorted.
fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let found = workbook::util::fs::walk(dir, &|_| false).unwrap_or_default();
    found.into_iter().map(|f| f.path).filter(|p| p.extension().is_some_and(|e| e == ext)).collect()
}

fn markdown_files() -> Vec<PathBuf> {
    files_with_ext(&book_src(), "md")
}

/// `path` relative to the repository, for messages.
fn shown(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

/// Joins `rel` onto `base` and removes `.` and `..` without touching the disk.
fn normalize(base: &Path, rel: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for c in base.join(rel).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// {{#include}}: files and anchors

/// One `{{#include …}}`, `{{#rustdoc_include …}}` or `{{#playground …}}`.
#[derive(Debug)]
struct Include {
    kind: String,
    path: String,
    /// What follows the path after a `:`: an anchor name or a line range.
    selector: Option<String>,
    line: usize,
}

/// Finds mdBook's file links in a chapter, as mdBook's own parser does:
/// `{{#kind path[:selector] [props]}}`, skipping escaped `\{{#…}}`.
fn includes(text: &str) -> Vec<Include> {
    let mut found = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(at) = rest.find("{{") {
        let start = offset + at;
        let escaped = start > 0 && text.as_bytes()[start - 1] == b'\\';
        let after = &text[start + 2..];
        offset = start + 2;
        rest = after;
        if escaped {
            continue;
        }
        let inner = after.trim_start();
        let Some(inner) = inner.strip_prefix('#') else {
            continue;
        };
        let kind: String =
            inner.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let Some(close) = inner.find("}}") else {
            continue;
        };
        let body = &inner[kind.len()..close];
        if !matches!(kind.as_str(), "include" | "rustdoc_include" | "playground")
            || body.contains('}')
        {
            continue;
        }
        let spec = body.split_whitespace().next().unwrap_or("");
        let (path, selector) = match spec.split_once(':') {
            Some((p, s)) => (p.to_string(), Some(s.to_string())),
            None => (spec.to_string(), None),
        };
        let line = text[..start].matches('\n').count() + 1;
        found.push(Include { kind, path, selector, line });
    }
    found
}

/// Whether `source` has `ANCHOR: name` followed later by `ANCHOR_END: name`
/// (the names match mdBook's `[\w_-]+`).
fn has_anchor(source: &str, name: &str) -> Result<(), String> {
    let is_marker = |line: &str, marker: &str| {
        line.match_indices(marker).any(|(i, _)| {
            let after = line[i + marker.len()..].trim_start();
            let word: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            word == name
        })
    };
    let start = source.lines().position(|l| is_marker(l, "ANCHOR:"));
    let end = source.lines().position(|l| is_marker(l, "ANCHOR_END:"));
    match (start, end) {
        (Some(s), Some(e)) if s < e => Ok(()),
        (Some(_), Some(_)) => {
            Err(format!("its `ANCHOR_END: {name}` comes before `ANCHOR: {name}`"))
        }
        (None, _) => Err(format!("it has no `// ANCHOR: {name}` line")),
        (Some(_), None) => {
            Err(format!("it has `ANCHOR: {name}` but no `// ANCHOR_END: {name}` line"))
        }
    }
}

/// Checks the part after `path:` in an include: a line range (`5`, `5:9`,
/// `:9`, `5:`) must lie within the file; anything else is an anchor.
fn check_selector(source: &str, selector: &str) -> Result<(), String> {
    let is_range =
        selector.split(':').all(|p| p.is_empty() || p.chars().all(|c| c.is_ascii_digit()));
    if !is_range {
        return has_anchor(source, selector);
    }
    let lines = source.lines().count();
    for part in selector.split(':').filter(|p| !p.is_empty()) {
        let n: usize = part.parse().map_err(|_| format!("`{part}` is not a line number"))?;
        if n > lines {
            return Err(format!("it asks for line {n}, but the file has {lines} lines"));
        }
    }
    Ok(())
}

#[test]
fn every_include_names_an_existing_file_and_anchor() {
    let mut problems = Vec::new();
    let mut count = 0;
    for md in markdown_files() {
        let text = read(&md);
        for inc in includes(&text) {
            count += 1;
            let target = normalize(md.parent().unwrap(), &inc.path);
            let place = format!("{}:{}: {{{{#{} {}}}}}", shown(&md), inc.line, inc.kind, inc.path);
            let Ok(source) = std::fs::read_to_string(&target) else {
                problems.push(format!("{place}: there is no file {}", shown(&target)));
                continue;
            };
            if let Some(sel) = &inc.selector
                && let Err(why) = check_selector(&source, sel)
            {
                problems.push(format!("{place}:{sel}: {why} ({})", shown(&target)));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {count} includes in the book are broken (paths are relative to the chapter's folder):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

// ---------------------------------------------------------------------------
// Code copied into a chapter verbatim
// ---------------------------------------------------------------------------

/// The marker that says the next code block is copied from a file of the
/// repository (its path from the top folder), for code that has no anchor
/// to include, such as the support crate's, whose every change re-runs the
/// mutation tests.
const VERBATIM: &str = "<!-- verbatim: ";

/// One copied block: the chapter line of its marker, the file it is copied
/// from, and its lines.
struct Copied {
    line: usize,
    from: String,
    code: Vec<String>,
}

/// The blocks after every `<!-- verbatim: PATH -->` marker of `text`; a
/// marker without a code block right after it gives an empty block.
fn verbatim_blocks(text: &str) -> Vec<Copied> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim().strip_prefix(VERBATIM) else { continue };
        let from = rest.trim_end_matches("-->").trim().to_string();
        let mut code = Vec::new();
        if lines.get(i + 1).is_some_and(|l| l.starts_with("```")) {
            code = lines[i + 2..]
                .iter()
                .take_while(|l| !l.starts_with("```"))
                .map(|l| l.to_string())
                .collect();
        }
        found.push(Copied { line: i + 1, from, code });
    }
    found
}

/// The first line of `code` that is not in `source`, in order: each line
/// must be a whole line of the source, below the one before it.
fn first_line_not_copied(code: &[String], source: &str) -> Option<String> {
    let mut rest = source.lines();
    for line in code {
        if !rest.any(|l| l == line) {
            return Some(line.clone());
        }
    }
    None
}

/// A chapter may show code that it cannot include by anchor, copied under a
/// `<!-- verbatim: PATH -->` marker; every line of the copy must still be a
/// line of that file, in the file's order, so the copy can't go stale
/// (chapter 1 shows the support crate's `chart` this way).
#[test]
fn every_verbatim_copy_is_still_in_its_file() {
    let mut problems = Vec::new();
    let mut count = 0;
    for md in markdown_files() {
        for copied in verbatim_blocks(&read(&md)) {
            count += 1;
            let place = format!("{}:{} (copied from {})", shown(&md), copied.line, copied.from);
            let Ok(source) = std::fs::read_to_string(root().join(&copied.from)) else {
                problems.push(format!("{place}: there is no such file"));
                continue;
            };
            if copied.code.is_empty() {
                problems.push(format!("{place}: the marker must stand right above a code block"));
            } else if let Some(line) = first_line_not_copied(&copied.code, &source) {
                problems.push(format!(
                    "{place}: the line {line:?} is not in the file, or not in this order; copy the code again"
                ));
            }
        }
    }
    assert!(
        count > 0,
        "no chapter has a verbatim copy; chapter 1 should show the support crate's chart"
    );
    assert!(problems.is_empty(), "stale copies in the book:\n  {}", problems.join("\n  "));
}

#[test]
fn the_verbatim_check_catches_a_changed_or_reordered_line() {
    let source = "pub fn a() {}\n/// b\npub fn b(x: f64) {}\n";
    let text = "x\n<!-- verbatim: src/x.rs -->\n```rust\npub fn a() {}\npub fn b(x: f64) {}\n```\n<!-- verbatim: y.rs -->\ntext\n";
    let blocks = verbatim_blocks(text);
    assert_eq!(blocks.len(), 2);
    assert_eq!((blocks[0].line, blocks[0].from.as_str()), (2, "src/x.rs"));
    assert_eq!(blocks[0].code, ["pub fn a() {}", "pub fn b(x: f64) {}"]);
    assert!(blocks[1].code.is_empty(), "a marker without a block gives an empty block");
    assert_eq!(first_line_not_copied(&blocks[0].code, source), None);
    let changed = ["pub fn a() {}".to_string(), "pub fn b(x: f32) {}".to_string()];
    assert_eq!(first_line_not_copied(&changed, source).as_deref(), Some("pub fn b(x: f32) {}"));
    let reordered = ["pub fn b(x: f64) {}".to_string(), "pub fn a() {}".to_string()];
    assert_eq!(first_line_not_copied(&reordered, source).as_deref(), Some("pub fn a() {}"));
}

#[test]
fn the_include_parser_reads_mdbook_syntax() {
    let text = "a\n{{#include ../x.rs:anchor}}\n\\{{#include escaped.rs}}\n{{ #rustdoc_include y.rs:2:5 }}\n{{#title T}}";
    let found = includes(text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        (found[0].path.as_str(), found[0].selector.as_deref(), found[0].line),
        ("../x.rs", Some("anchor"), 2)
    );
    assert_eq!(
        (found[1].kind.as_str(), found[1].selector.as_deref()),
        ("rustdoc_include", Some("2:5"))
    );
    let src = "x\n// ANCHOR: model\nfn f() {}\n// ANCHOR_END: model\n";
    assert!(check_selector(src, "model").is_ok());
    assert!(check_selector(src, "mode").is_err());
    assert!(check_selector(src, "2:4").is_ok());
    assert!(check_selector(src, "9").is_err());
}

// ---------------------------------------------------------------------------
// Relative links and images

/// A link in a chapter: where it points, and the line it is on.
#[derive(Debug)]
struct Link {
    target: String,
    line: usize,
}

/// The targets of the inline links and images (`[text](target)`,
/// `![alt](target "title")`) of a chapter, outside code blocks and spans.
fn links(text: &str) -> Vec<Link> {
    let mut found = Vec::new();
    let mut fence: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker: String = trimmed.chars().take_while(|c| *c == '`' || *c == '~').collect();
            fence = Some(marker);
            continue;
        }
        // A link reference definition: `[name]: target`.
        if let Some(rest) = trimmed.strip_prefix('[')
            && let Some((_, after)) = rest.split_once("]:")
        {
            if let Some(target) = after.split_whitespace().next() {
                found.push(Link {
                    target: target.trim_matches(['<', '>']).to_string(),
                    line: i + 1,
                });
            }
            continue;
        }
        // Drop inline code spans.
        let mut plain = String::new();
        for (j, part) in line.split('`').enumerate() {
            if j % 2 == 0 {
                plain.push_str(part);
            }
        }
        let mut rest = plain.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            let target =
                after[..end].split_whitespace().next().unwrap_or("").trim_matches(['<', '>']);
            if !target.is_empty() {
                found.push(Link { target: target.to_string(), line: i + 1 });
            }
            rest = &after[end..];
        }
    }
    found
}

/// Whether a link leaves the book (a web address, mail) or stays on the page.
fn is_external_or_same_page(target: &str) -> bool {
    target.starts_with('#') || target.contains("://") || target.starts_with("mailto:")
}

#[test]
fn every_relative_link_and_image_points_at_an_existing_file() {
    let mut problems = Vec::new();
    for md in markdown_files() {
        for link in links(&read(&md)) {
            if is_external_or_same_page(&link.target) {
                continue;
            }
            let file = link.target.split('#').next().unwrap();
            let target = normalize(md.parent().unwrap(), file);
            if !target.is_file() {
                problems.push(format!(
                    "{}:{}: ({}) points at {}, which does not exist",
                    shown(&md),
                    link.line,
                    link.target,
                    shown(&target)
                ));
            } else if file.ends_with(".html") {
                problems.push(format!(
                    "{}:{}: ({}) links to the HTML; link to the chapter's .md file",
                    shown(&md),
                    link.line,
                    link.target
                ));
            }
        }
    }
    assert!(problems.is_empty(), "broken links in the book:\n  {}", problems.join("\n  "));
}

#[test]
fn the_link_finder_skips_code() {
    let text = "See [a](a.md#x) and ![f](figures/f.svg \"t\").\n```rust\nlet x = [1](2);\n```\n`[c](c.md)` [d](https://e.org)\n\n[ref]: ../g.md#y";
    let targets: Vec<String> = links(text).into_iter().map(|l| l.target).collect();
    assert_eq!(targets, ["a.md#x", "figures/f.svg", "https://e.org", "../g.md#y"]);
}

// ---------------------------------------------------------------------------
// SUMMARY.md and course.toml

/// The `.md` files SUMMARY.md lists, relative to `book/src`.
fn summary_chapters() -> Vec<String> {
    links(&read(&book_src().join("SUMMARY.md")))
        .into_iter()
        .map(|l| l.target)
        .filter(|t| t.ends_with(".md"))
        .collect()
}

#[test]
fn every_exercise_chapter_is_written_and_in_the_summary() {
    let listed: BTreeSet<String> = summary_chapters().into_iter().collect();
    let mut problems = Vec::new();
    for ex in &manifest().exercises {
        let path = book_src().join(&ex.chapter);
        if !path.is_file() {
            problems.push(format!(
                "exercise {}: its chapter {} does not exist",
                ex.id,
                shown(&path)
            ));
        }
        if !listed.contains(&ex.chapter) {
            problems.push(format!(
                "exercise {}: its chapter {} is not listed in book/src/SUMMARY.md",
                ex.id, ex.chapter
            ));
        }
    }
    assert!(problems.is_empty(), "course.toml and the book disagree:\n  {}", problems.join("\n  "));
}

#[test]
fn every_chapter_in_the_summary_is_written_and_listed_once() {
    let chapters = summary_chapters();
    assert!(!chapters.is_empty(), "book/src/SUMMARY.md lists no chapters");
    let mut seen = BTreeSet::new();
    for ch in &chapters {
        let path = book_src().join(ch);
        assert!(path.is_file(), "SUMMARY.md lists {ch}, but book/src/{ch} does not exist");
        assert!(seen.insert(ch), "SUMMARY.md lists {ch} twice");
        // A chapter is listed only once it is written: a title and some text.
        let text = read(&path);
        let words = text.split_whitespace().count();
        assert!(
            text.trim_start().starts_with("# ") && words >= 100,
            "SUMMARY.md lists {ch}, but it is not written yet ({words} words); \
             list a chapter only when it has a `# Title` and its text"
        );
    }
}

// ---------------------------------------------------------------------------
// Defined terms and the glossary
//
// The rule: a chapter marks a term it defines, or uses before defining it, by
// linking the term to its glossary entry, usually at its first use:
// `[term](../part3/glossary.md#entry)` (from part3/, `glossary.md#entry`;
// inside the glossary, `#entry`), with any bold or italics inside or outside
// the link. Every such link must name an entry of the glossary: a
// `### Term` heading, whose anchor is mdBook's id of the heading's text, or
// the `{#id}` written after the text. Every entry defines its term and says
// where the book introduces it ("Introduced in …"), or points at the entry it
// is another name for ("Another name for …"), and the entries are in
// alphabetical order.

/// The core path in the chapters: every deeper part of `course.toml` names
/// a section of its exercise's chapter, and that section opens with a
/// "Going deeper" note naming the part, so a learner on the day knows what
/// to skip; every such note belongs to a part.
#[test]
fn every_deeper_part_is_marked_in_its_chapter() {
    let mut problems = Vec::new();
    for ex in &manifest().exercises {
        let path = book_src().join(&ex.chapter);
        let text = read(&path);
        let lines: Vec<&str> = text.lines().collect();
        // The first line of text after each heading, by the heading's anchor.
        let mut opening = std::collections::BTreeMap::new();
        for (i, line) in lines.iter().enumerate() {
            if let Some(heading) = line.strip_prefix("## ").or_else(|| line.strip_prefix("### ")) {
                let first = lines[i + 1..].iter().find(|l| !l.trim().is_empty()).unwrap_or(&"");
                opening.insert(heading_id(heading), *first);
            }
        }
        for part in &ex.deeper {
            match opening.get(&part.section) {
                None => problems.push(format!(
                    "exercise {}: the deeper part \"{}\" names the section #{}, which {} does not have",
                    ex.id,
                    part.name,
                    part.section,
                    shown(&path)
                )),
                Some(first) if !first.starts_with(&format!("> **Going deeper: {}.**", part.name)) => {
                    problems.push(format!(
                        "exercise {}: the section #{} of {} must open with \"> **Going deeper: {}.**\", but opens with {first:?}",
                        ex.id,
                        part.section,
                        shown(&path),
                        part.name
                    ))
                }
                Some(_) => {}
            }
        }
        for line in lines.iter().filter(|l| l.starts_with("> **Going deeper: ")) {
            let named = ex
                .deeper
                .iter()
                .any(|p| line.starts_with(&format!("> **Going deeper: {}.**", p.name)));
            if !named {
                problems.push(format!(
                    "{}: {line:?} names no deeper part of exercise {} in course.toml",
                    shown(&path),
                    ex.id
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the chapters and course.toml's deeper parts disagree:\n  {}",
        problems.join("\n  ")
    );
}

/// The glossary, `book/src/part3/glossary.md`.
fn glossary_path() -> PathBuf {
    book_src().join("part3").join("glossary.md")
}

/// The id mdBook gives a heading (mdbook-html's `id_from_content`): its text
/// in lower case, alphanumerics, `_` and `-` kept, spaces turned into `-`,
/// everything else dropped; or the id of a trailing `{#id}`.
fn heading_id(heading: &str) -> String {
    if let Some((_, id)) = heading.trim().rsplit_once("{#")
        && let Some(id) = id.strip_suffix('}')
    {
        return id.to_string();
    }
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c)
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// One entry of the glossary: its term (the heading without an `{#id}`),
/// its anchor and its text.
#[derive(Debug)]
struct Entry {
    term: String,
    anchor: String,
    body: String,
}

/// The glossary's entries, the `### Term` headings, in their order, each
/// with the text up to the next heading.
fn glossary_entries(glossary: &str) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut in_entry = false;
    for line in glossary.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            let term = heading.rsplit_once("{#").map_or(heading, |(term, _)| term).trim();
            entries.push(Entry {
                term: term.to_string(),
                anchor: heading_id(heading),
                body: String::new(),
            });
            in_entry = true;
        } else if line.starts_with('#') {
            in_entry = false;
        } else if in_entry && let Some(entry) = entries.last_mut() {
            entry.body.push_str(line);
            entry.body.push('\n');
        }
    }
    entries
}

/// A link from a chapter to an entry of the glossary.
#[derive(Debug, PartialEq)]
struct TermLink {
    /// The linked text, without emphasis and with its spaces collapsed.
    term: String,
    /// The entry's anchor, after the `#`.
    anchor: String,
    line: usize,
}

/// The links of `text`, a chapter at `chapter`, that point at an anchor of
/// the glossary at `glossary`, outside code blocks and code spans. A link's
/// text may run over several lines.
fn glossary_links(chapter: &Path, glossary: &Path, text: &str) -> Vec<TermLink> {
    // The text with fenced code blocks emptied and code spans dropped, line
    // for line, so that line numbers still hold.
    let mut plain = String::new();
    let mut fence: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(f) = &fence {
            if trimmed.starts_with(f.as_str()) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(trimmed.chars().take_while(|c| *c == '`' || *c == '~').collect());
        } else {
            for (j, part) in line.split('`').enumerate() {
                if j % 2 == 0 {
                    plain.push_str(part);
                }
            }
        }
        plain.push('\n');
    }

    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = plain[from..].find("](").map(|i| from + i) {
        from = at + 2;
        let after = &plain[at + 2..];
        let end = after.find(')').unwrap_or(after.len());
        let target = after[..end].split_whitespace().next().unwrap_or("").trim_matches(['<', '>']);
        let Some((file, anchor)) = target.split_once('#') else {
            continue;
        };
        let points_at_glossary = if file.is_empty() {
            chapter == glossary
        } else {
            normalize(chapter.parent().unwrap(), file) == glossary
        };
        if !points_at_glossary || anchor.is_empty() {
            continue;
        }
        // The link's text: back from `](` to the `[` that opens it.
        let mut depth = 0;
        let mut open = None;
        for (i, c) in plain[..at].char_indices().rev() {
            match c {
                ']' => depth += 1,
                '[' if depth == 0 => {
                    open = Some(i);
                    break;
                }
                '[' => depth -= 1,
                _ => {}
            }
        }
        let Some(open) = open else {
            continue;
        };
        let term = plain[open + 1..at].replace(['*', '_'], "");
        found.push(TermLink {
            term: term.split_whitespace().collect::<Vec<_>>().join(" "),
            anchor: anchor.to_string(),
            line: plain[..at].matches('\n').count() + 1,
        });
    }
    found
}

/// `term` with its first letter in upper case, as a glossary heading has it.
fn capitalised(term: &str) -> String {
    let mut chars = term.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[test]
fn every_term_linked_to_the_glossary_has_an_entry() {
    let glossary = glossary_path();
    let entries = glossary_entries(&read(&glossary));
    let anchors: BTreeSet<&str> = entries.iter().map(|e| e.anchor.as_str()).collect();
    let mut problems = Vec::new();
    let mut count = 0;
    for md in markdown_files() {
        for link in glossary_links(&md, &glossary, &read(&md)) {
            count += 1;
            if !anchors.contains(link.anchor.as_str()) {
                problems.push(format!(
                    "{}:{}: the term \"{}\" links to the glossary's #{}, but {} has no entry with that anchor; \
                     add a `### {}` entry there (in alphabetical order, with a definition and \"Introduced in\" \
                     the section that explains it), or link the term to an entry that exists",
                    shown(&md),
                    link.line,
                    link.term,
                    link.anchor,
                    shown(&glossary),
                    capitalised(&link.term),
                ));
            }
        }
    }
    assert!(
        count >= 100,
        "found only {count} links to the glossary in the book: is the finder broken?"
    );
    assert!(
        problems.is_empty(),
        "{} of the {count} terms the chapters link to the glossary have no entry there:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn the_glossary_is_alphabetical_and_every_entry_says_where_it_is_introduced() {
    let glossary = glossary_path();
    let entries = glossary_entries(&read(&glossary));
    assert!(entries.len() >= 100, "found only {} entries in {}", entries.len(), shown(&glossary));
    // Sorted as a reader looks terms up: case, hyphens and marks ignored,
    // R² read as R2.
    let key = |term: &str| -> String {
        term.to_lowercase()
            .replace('²', "2")
            .replace('-', " ")
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ')
            .collect()
    };
    let mut problems = Vec::new();
    for pair in entries.windows(2) {
        if key(&pair[0].term) > key(&pair[1].term) {
            problems.push(format!(
                "\"{}\" comes before \"{}\"; the entries are in alphabetical order",
                pair[0].term, pair[1].term
            ));
        }
    }
    let mut seen = BTreeSet::new();
    for entry in &entries {
        if !seen.insert(entry.anchor.as_str()) {
            problems.push(format!("\"{}\" has an entry twice (#{})", entry.term, entry.anchor));
        }
        let body = entry.body.split_whitespace().collect::<Vec<_>>().join(" ");
        if !body.contains("Introduced in") && !body.contains("Another name for") {
            problems.push(format!(
                "\"{}\" does not say where the book introduces it: end its entry with \"Introduced in\" \
                 and a link to the section, or make it a synonym (\"Another name for\" the main entry)",
                entry.term
            ));
        }
    }
    assert!(problems.is_empty(), "{}:\n  {}", shown(&glossary), problems.join("\n  "));
}

#[test]
fn the_glossary_link_finder_reads_terms_and_anchors() {
    assert_eq!(heading_id("Learning-rate schedule"), "learning-rate-schedule");
    assert_eq!(heading_id("How many digits are right?"), "how-many-digits-are-right");
    assert_eq!(heading_id("R² {#r-squared}"), "r-squared");
    let entries = glossary_entries(
        "# Glossary\n\nIntro.\n\n### R² {#r-squared}\n\nText.\n\n### Seed\n\nMore.\n",
    );
    let got: Vec<(&str, &str)> =
        entries.iter().map(|e| (e.term.as_str(), e.anchor.as_str())).collect();
    assert_eq!(got, [("R²", "r-squared"), ("Seed", "seed")]);
    assert_eq!(entries[1].body.trim(), "More.");

    let src = book_src();
    let glossary = src.join("part3/glossary.md");
    let chapter = src.join("exercises/01-x.md");
    let text = "A **[training\nset](../part3/glossary.md#training-set)**, a [*seed*](../part3/glossary.md#seed),\n\
                `[code](../part3/glossary.md#code)`, [other](../part3/roadmap.md#seed),\n\
                ```text\n[fenced](../part3/glossary.md#fenced)\n```\n\
                the [glossary](../part3/glossary.md) and [**R²**](../part3/glossary.md#r-squared).";
    let found = glossary_links(&chapter, &glossary, text);
    let term = |t: &str, a: &str, line| TermLink { term: t.into(), anchor: a.into(), line };
    assert_eq!(
        found,
        [
            term("training set", "training-set", 2),
            term("seed", "seed", 2),
            term("R²", "r-squared", 7)
        ]
    );
    let inside = glossary_links(&glossary, &glossary, "See [Adam](#adam).");
    assert_eq!(inside, [term("Adam", "adam", 1)]);
}

// ---------------------------------------------------------------------------
// Figures

#[test]
fn figures_are_current() {
    let committed_dir = book().join(workbook::book::figures::FIGURES_DIR);
    let fresh_dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("figures-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&fresh_dir);
    let fresh =
        workbook::book::figures::render_into(&root(), &fresh_dir).expect("every figure renders");

    let mut problems = Vec::new();
    let mut expected_names = BTreeSet::new();
    for path in &fresh {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let committed = committed_dir.join(&name);
        match std::fs::read(&committed) {
            Err(_) => problems.push(format!("{} is missing", shown(&committed))),
            Ok(bytes) if bytes != std::fs::read(path).unwrap() => {
                problems.push(format!("{} differs from what the code draws now", shown(&committed)))
            }
            Ok(_) => {}
        }
        expected_names.insert(name);
    }
    for stale in std::fs::read_dir(&committed_dir).into_iter().flatten().flatten() {
        let name = stale.file_name().to_string_lossy().to_string();
        if !expected_names.contains(&name) {
            problems.push(format!(
                "{} is not drawn by src/book/figures/ any more; delete it",
                shown(&stale.path())
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&fresh_dir);
    assert!(
        problems.is_empty(),
        "the book's figures are stale:\n  {}\nrun `cargo workbook figures` to refresh them, and commit the result",
        problems.join("\n  ")
    );
}

#[test]
fn every_figure_is_used_by_a_chapter() {
    let all_text: String = markdown_files().iter().map(|p| read(p)).collect();
    for (name, _) in workbook::book::figures::FIGURES {
        assert!(
            all_text.contains(&format!("figures/{name}")),
            "no chapter shows figures/{name}; use it or remove it from src/book/figures/mod.rs"
        );
    }
}

// ---------------------------------------------------------------------------
// Building the book

/// Builds the book into a fresh folder with the pinned tools and returns the
/// folder. Fails, never skips, when the tools are missing.
fn build_book() -> PathBuf {
    let tools = workbook::book::find(&root()).unwrap_or_else(|e| panic!("{e:#}"));
    let out_dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("book-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out_dir);
    let output = tools
        .mdbook(&root())
        .arg("build")
        .arg(book())
        .arg("--dest-dir")
        .arg(&out_dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("mdbook runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "`mdbook build book` failed:\n{stderr}");
    let complaints: Vec<&str> = stderr.lines().filter(|l| is_complaint(l)).collect();
    assert!(complaints.is_empty(), "`mdbook build book` printed warnings or errors:\n{stderr}");
    out_dir
}

/// `line` without terminal colour codes (`ESC [ … m`).
fn strip_ansi(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a line of mdBook's log is a warning or an error. mdBook logs
/// ` INFO …`, ` WARN …` and `ERROR …`; mdbook-katex adds a timestamp and
/// colours. Look at the level words, not at paths that might contain them.
fn is_complaint(line: &str) -> bool {
    strip_ansi(line)
        .split_whitespace()
        .any(|w| matches!(w.trim_end_matches(':'), "WARN" | "ERROR" | "warning" | "error"))
}

#[test]
fn warnings_are_found_in_mdbook_and_katex_logs() {
    let katex = "\u{1b}[2m2026-01-01T00:00:00Z\u{1b}[0m \u{1b}[33m WARN\u{1b}[0m \u{1b}[1mrender\u{1b}[0m: Rendering failed";
    assert_eq!(strip_ansi(katex), "2026-01-01T00:00:00Z  WARN render: Rendering failed");
    assert!(is_complaint(katex));
    assert!(is_complaint("ERROR Summary parsing failed"));
    assert!(!is_complaint(" INFO HTML book written to `/home/warner/errors/book`"));
}

#[test]
fn the_book_builds_without_warnings_offline_math_and_working_anchors() {
    let out = build_book();

    // Math is typeset at build time, with KaTeX's stylesheet from the book.
    let page = read(&out.join("part0/what-is-linear-regression.html"));
    assert!(
        page.contains("class=\"katex\""),
        "what-is-linear-regression.html has no KaTeX-rendered math: is the katex preprocessor running?"
    );
    assert!(!page.contains("$$"), "what-is-linear-regression.html still has raw $$ math in it");
    assert!(
        page.contains("katex/katex.min.css"),
        "the page does not link the book's own KaTeX stylesheet (theme/head.hbs)"
    );
    assert!(
        !page.contains("MathJax"),
        "MathJax is enabled; the book uses KaTeX (mathjax-support = false)"
    );

    // The stylesheet's fonts ship with the book.
    let css = read(&out.join("katex/katex.min.css"));
    let mut fonts = 0;
    for part in css.split("url(").skip(1) {
        let url = &part[..part.find(')').unwrap()];
        if url.ends_with(".woff2") {
            fonts += 1;
            assert!(
                out.join("katex").join(url).is_file(),
                "KaTeX's stylesheet needs {url}, which is not in book/src/katex/"
            );
        }
    }
    assert!(fonts > 10, "KaTeX's stylesheet names only {fonts} .woff2 fonts");

    // Nothing is fetched from a CDN when a page is read.
    let mut problems = Vec::new();
    for file in files_with_ext(&out, "html").into_iter().chain(files_with_ext(&out, "css")) {
        let text = read(&file);
        for cdn in ["cdn.", "jsdelivr", "unpkg", "googleapis"] {
            if text.contains(cdn) {
                problems
                    .push(format!("{} mentions {cdn}", file.strip_prefix(&out).unwrap().display()));
            }
        }
    }
    assert!(problems.is_empty(), "the built book refers to a CDN:\n  {}", problems.join("\n  "));

    // Links to a heading (`chapter.md#heading`) name a heading that exists.
    let mut broken = Vec::new();
    for md in markdown_files() {
        let rel = md.strip_prefix(book_src()).unwrap();
        let page = out.join(rel).with_extension("html");
        if !page.is_file() {
            continue; // not in SUMMARY.md, so not built
        }
        for link in links(&read(&md)) {
            if link.target.contains("://") {
                continue;
            }
            let Some((file, anchor)) = link.target.split_once('#') else {
                continue;
            };
            let target = if file.is_empty() {
                page.clone()
            } else {
                normalize(page.parent().unwrap(), file).with_extension("html")
            };
            let html = std::fs::read_to_string(&target).unwrap_or_default();
            if !html.contains(&format!("id=\"{anchor}\"")) {
                broken.push(format!(
                    "{}:{}: ({}) there is no heading #{anchor} in {}",
                    shown(&md),
                    link.line,
                    link.target,
                    target.strip_prefix(&out).unwrap_or(&target).display()
                ));
            }
        }
    }
    assert!(broken.is_empty(), "links to missing headings:\n  {}", broken.join("\n  "));

    let _ = std::fs::remove_dir_all(&out);
}
