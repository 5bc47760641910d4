//! The instructor's grader, tried as an instructor would: a folder of
//! submissions made from `tests/fixtures/class.toml` (working, partial,
//! untouched, and every hostile or broken case), graded with one command;
//! submissions that try to read the instructor's secrets and the hidden
//! tests; a grader stopped mid-run with SIGINT, SIGTERM and SIGKILL; and a
//! machine without bubblewrap.
//!
//! These tests need bubblewrap (`scripts/test-course` installs it), and so
//! Linux: elsewhere, and on the portable path, the grader refuses to run
//! (tests/cli.rs checks that it says so).
#![cfg(all(target_os = "linux", not(workbook_portable)))]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use common::root;
use serde::Deserialize;
use workbook::course::manifest::Manifest;
use workbook::course::{misconception, sources};

#[derive(Deserialize)]
struct Class {
    student: Vec<Student>,
}

#[derive(Deserialize)]
struct Student {
    id: String,
    #[serde(default)]
    packaging: Option<String>,
    #[serde(default)]
    layout: Option<String>,
    ex01: Option<String>,
    ex02: Option<String>,
    hostile02: Option<String>,
    #[serde(default)]
    loop_everywhere02: bool,
    #[serde(default)]
    latin1_02: bool,
    #[serde(default)]
    files: Vec<ExtraFile>,
    expect: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct ExtraFile {
    path: String,
    content: String,
}

/// The files of one exercise's `src/` for a base: solution, stub, or a misconception.
fn base_sources(id: &str, base: &str) -> sources::Sources {
    let root = root();
    let manifest = Manifest::load(&root).unwrap();
    let ex = manifest.find(id).unwrap();
    match base {
        "solution" => sources::solution(&root, ex).unwrap(),
        "stub" => sources::stub(&root, ex).unwrap(),
        other => {
            let name =
                other.strip_prefix("misconception:").expect("solution, stub or misconception:NAME");
            let m = misconception::load_all(&root, ex)
                .unwrap()
                .into_iter()
                .find(|m| m.name == name)
                .expect("a known misconception");
            m.apply(&sources::solution(&root, ex).unwrap()).unwrap()
        }
    }
}

/// The files of a student's submission, by path inside it.
fn submission_files(s: &Student) -> BTreeMap<String, Vec<u8>> {
    let prefix = if s.layout.as_deref() == Some("bare") { "" } else { "exercises/" };
    let mut files = BTreeMap::new();
    for (id, base) in [("01", &s.ex01), ("02", &s.ex02)] {
        let Some(base) = base else { continue };
        for (rel, mut text) in base_sources(id, base) {
            if id == "02"
                && rel == Path::new("lib.rs")
                && let Some(code) = &s.hostile02
            {
                text = put_into_predict(&text, code);
            }
            if id == "02" && rel == Path::new("lib.rs") && s.loop_everywhere02 {
                text = loop_everywhere(&text);
            }
            let mut bytes = text.into_bytes();
            if id == "02" && rel == Path::new("lib.rs") && s.latin1_02 {
                bytes.extend_from_slice(b"\n// caf\xe9 (Latin-1)\n");
            }
            files.insert(format!("{prefix}exercise-{id}/src/{}", rel.display()), bytes);
        }
    }
    for f in &s.files {
        files.insert(f.path.clone(), f.content.clone().into_bytes());
    }
    files
}

/// Exercise 02's sources with `code` at the start of `predict`'s body.
fn put_into_predict(text: &str, code: &str) -> String {
    let anchor = "    w * x + b\n    // END SOLUTION";
    assert_eq!(text.matches(anchor).count(), 1, "predict's body is where hostile code goes");
    text.replace(anchor, &format!("    {code}\n{anchor}"))
}

/// Sources whose every function loops forever.
fn loop_everywhere(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        if line.trim_start().starts_with("// BEGIN SOLUTION") {
            out.push_str("    if std::hint::black_box(true) { loop { std::hint::spin_loop() } }\n");
        }
    }
    assert!(out.matches("spin_loop").count() >= 5, "every function loops");
    out
}

/// A student id as the gradebook writes it (control characters escaped).
fn escaped(id: &str) -> String {
    workbook::grade::submission::escaped(id)
}

/// Bytes that do not compress (an xorshift generator's).
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn write_tree(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// Makes the submissions folder.
fn make_class(dir: &Path) -> Vec<Student> {
    let class: Class =
        toml::from_str(&std::fs::read_to_string(root().join("tests/fixtures/class.toml")).unwrap())
            .unwrap();
    std::fs::create_dir_all(dir).unwrap();
    for s in &class.student {
        let files = submission_files(s);
        let wrapped: BTreeMap<String, Vec<u8>> =
            files.iter().map(|(p, b)| (format!("{}-repo/{p}", s.id), b.clone())).collect();
        match s.packaging.as_deref().unwrap_or("folder") {
            "folder" => write_tree(&dir.join(&s.id), &files),
            "folder-newline-name" => {
                let mut files = files.clone();
                files.insert("exercises/exercise-02/src/evil\nname.rs".into(), b"// x\n".to_vec());
                write_tree(&dir.join(&s.id), &files);
            }
            "empty" => std::fs::create_dir_all(dir.join(&s.id)).unwrap(),
            "zip-many-files" | "zip-nul-name" => {
                let mut zip = zip::ZipWriter::new(
                    std::fs::File::create(dir.join(format!("{}.zip", s.id))).unwrap(),
                );
                let options = zip::write::SimpleFileOptions::default();
                let mut all = wrapped.clone();
                if s.packaging.as_deref() == Some("zip-many-files") {
                    for i in 0..1000 {
                        all.insert(format!("{}-repo/notes/note-{i:04}.txt", s.id), b"x".to_vec());
                    }
                } else {
                    let name = format!("{}-repo/exercises/exercise-02/src/evil\0name.rs", s.id);
                    all.insert(name, b"// x\n".to_vec());
                }
                for (p, b) in &all {
                    zip.start_file(p.as_str(), options).unwrap();
                    zip.write_all(b).unwrap();
                }
                zip.finish().unwrap();
            }
            "zip" | "zip-escape" => {
                let mut zip = zip::ZipWriter::new(
                    std::fs::File::create(dir.join(format!("{}.zip", s.id))).unwrap(),
                );
                let options = zip::write::SimpleFileOptions::default();
                for (p, b) in &wrapped {
                    zip.start_file(p.as_str(), options).unwrap();
                    zip.write_all(b).unwrap();
                }
                if s.packaging.as_deref() == Some("zip-escape") {
                    zip.start_file("../../escaped.rs", options).unwrap();
                    zip.write_all(b"// written outside\n").unwrap();
                }
                zip.finish().unwrap();
            }
            "corrupt-zip" => std::fs::write(
                dir.join(format!("{}.zip", s.id)),
                b"PK\x03\x04 this is not really a zip archive",
            )
            .unwrap(),
            "tar.gz" | "tar-symlink" | "tar-too-big" => {
                let gz = flate2::write::GzEncoder::new(
                    std::fs::File::create(dir.join(format!("{}.tar.gz", s.id))).unwrap(),
                    flate2::Compression::fast(),
                );
                let mut tar = tar::Builder::new(gz);
                let mut all = wrapped.clone();
                if s.packaging.as_deref() == Some("tar-too-big") {
                    // Build output left in: incompressible, 11 MB.
                    let name = format!("{}-repo/data/weights.bin", s.id);
                    all.insert(name, noise(11 << 20));
                }
                for (p, b) in &all {
                    let mut h = tar::Header::new_gnu();
                    h.set_size(b.len() as u64);
                    h.set_mode(0o644);
                    h.set_cksum();
                    tar.append_data(&mut h, p, b.as_slice()).unwrap();
                }
                if s.packaging.as_deref() == Some("tar-symlink") {
                    let mut h = tar::Header::new_gnu();
                    h.set_entry_type(tar::EntryType::Symlink);
                    h.set_size(0);
                    h.set_mode(0o777);
                    tar.append_link(
                        &mut h,
                        format!("{}-repo/exercises/exercise-01/src/lib.rs", s.id),
                        "/etc/passwd",
                    )
                    .unwrap();
                }
                tar.into_inner().unwrap().finish().unwrap();
            }
            "folder-symlink" => {
                write_tree(&dir.join(&s.id), &files);
                let link = dir.join(&s.id).join("exercises/exercise-01/src");
                std::fs::create_dir_all(&link).unwrap();
                std::os::unix::fs::symlink("/etc/passwd", link.join("lib.rs")).unwrap();
            }
            other => panic!("unknown packaging {other}"),
        }
    }
    class.student
}

/// A snapshot of every file under `dir`: path → content (a link's target).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let files = workbook::util::fs::walk(dir, &|_| false).unwrap();
    let content = |f: &workbook::util::fs::Found| match f.kind.is_symlink() {
        true => std::fs::read_link(&f.path).unwrap().to_string_lossy().as_bytes().to_vec(),
        false => std::fs::read(&f.path).unwrap(),
    };
    files.iter().map(|f| (f.path.clone(), content(f))).collect()
}

/// `workbook grade ARGS` the way an instructor runs the built binary: without
/// the variables that `cargo` and rustup set for the programs they start.
fn grader(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_workbook"));
    cmd.arg("grade")
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTUP_HOME")
        .env_remove("CARGO")
        .env_remove("CARGO_MANIFEST_DIR");
    cmd
}

/// Runs `workbook grade ARGS` to its end.
fn grade(args: &[&str]) -> std::process::Output {
    grader(args).output().unwrap()
}

/// A scratch folder of this test process, empty.
fn scratch(name: &str) -> PathBuf {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("grader-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    base
}

/// Writes a submissions folder: one student per entry, exercise 02's
/// `lib.rs` given.
fn write_class(dir: &Path, students: &[(&str, String)]) {
    for (id, lib) in students {
        let path = dir.join(id).join("exercises/exercise-02/src/lib.rs");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, lib).unwrap();
    }
}

/// The reference solution of exercise 02's `lib.rs`.
fn solution_02() -> String {
    base_sources("02", "solution")[Path::new("lib.rs")].clone()
}

#[test]
fn a_class_with_every_hostile_case_is_graded_fairly() {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("grader-class-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let subs = base.join("submissions");
    let out = base.join("out");
    let students = make_class(&subs);
    assert!(
        students.len() >= 20,
        "the class has {} submissions; the issue asks for 20",
        students.len()
    );
    let before = tree(&subs);
    // The instructor's hidden test: its code and expected value must never
    // reach a student, only its public description.
    let hidden = base.join("hidden");
    std::fs::create_dir_all(hidden.join("exercise-02")).unwrap();
    std::fs::write(
        hidden.join("exercise-02/checks.rs"),
        "#[test]\nfn two_pairs() {\n    let got = exercise_02::mean_squared_error(&[1.0, 2.0], &[1.0, 4.0]).unwrap();\n    assert_eq!(got, 2.0, \"SECRET-EXPECTED-VALUE 2.0\");\n}\n",
    )
    .unwrap();
    std::fs::write(
        hidden.join("exercise-02/descriptions.toml"),
        "two_pairs = \"the mean squared error of a second small example\"\n",
    )
    .unwrap();
    let args = [
        subs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--exercises",
        "01,02",
        "--timeout",
        "5",
        "--hidden-tests",
        hidden.to_str().unwrap(),
        "--json",
    ];

    let run = grade(&args);
    let text =
        format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "grade failed:\n{text}");

    let book: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    let sandboxed = book["sandboxed"].as_bool().unwrap();
    assert!(sandboxed, "the class is graded under bubblewrap");
    let by_id: BTreeMap<String, &serde_json::Value> = book["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["student"].as_str().unwrap().to_string(), s))
        .collect();
    let mut problems = Vec::new();
    for s in &students {
        let r = by_id
            .get(&escaped(&s.id))
            .unwrap_or_else(|| panic!("{} is missing from results.json", s.id));
        let summary = serde_json::to_string_pretty(r).unwrap();
        let summary: String = summary.chars().take(3000).collect();
        for (key, want) in &s.expect {
            let ok = match key.as_str() {
                "ex01" | "ex02" => {
                    let e = &r["exercises"][&key[2..]];
                    let (points, max) =
                        (e["points"].as_f64().unwrap_or(0.0), e["max"].as_f64().unwrap_or(0.0));
                    match want.as_str() {
                        "full" => max > 0.0 && points == max,
                        "zero" => points == 0.0,
                        "partial" => points > 0.0 && points < max,
                        other => panic!("unknown expectation {other}"),
                    }
                }
                "status02" => r["exercises"]["02"]["status"] == want.as_str(),
                "rejected" => r["rejected"].as_str().is_some_and(|why| why.contains(want.as_str())),
                "flag" => r["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f.as_str().unwrap().contains(want.as_str())),
                "test_status" => r["exercises"]["02"]["tests"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t["status"] == want.as_str()),
                other => panic!("unknown expectation key {other}"),
            };
            if !ok {
                problems.push(format!("{}: expected {key} = {want}, got\n{summary}", s.id));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} expectation(s) not met:\n{}",
        problems.len(),
        problems.join("\n\n")
    );

    // Nothing was written outside OUT: the submissions are untouched, and
    // nothing escaped next to them.
    assert_eq!(tree(&subs), before, "grading changed the submissions folder");
    assert!(!base.join("escaped.rs").exists() && !root().join("escaped.rs").exists());
    assert!(!base.join("pwned.txt").exists(), "a test wrote next to the submissions");

    // The files an instructor opens.
    let csv = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    assert!(csv.starts_with("student,exercise_01,exercise_02,total,max,status,flags"), "{csv}");
    assert_eq!(csv.lines().count(), students.len() + 1);
    for s in &students {
        let id = escaped(&s.id);
        let name = workbook::grade::output::safe_file_name(&id);
        let fb = std::fs::read_to_string(out.join("feedback").join(format!("{name}.md"))).unwrap();
        assert!(fb.starts_with(&format!("# Feedback for {id}")));
        assert!(fb.len() < 64 * 1024, "{id}'s feedback is {} bytes", fb.len());
    }
    // A looping submission's feedback says which function loops, and what was not run.
    let yan = std::fs::read_to_string(out.join("feedback/yan-loops-everywhere.md")).unwrap();
    assert!(yan.contains("tests were not run") && yan.contains("ran out of time"), "{yan}");
    let ivy = std::fs::read_to_string(out.join("feedback/ivy-never-returns.md")).unwrap();
    assert!(ivy.contains("all call `predict`: it seems to loop"), "{ivy}");
    let cat = std::fs::read_to_string(out.join("feedback/cat.md")).unwrap();
    assert!(
        cat.contains("n − 1") && cat.contains("book/src/exercises/02-model-and-loss.md"),
        "feedback names the mistake and the chapter:\n{cat}"
    );
    assert!(
        cat.contains("a hidden test failed: the mean squared error of a second small example"),
        "{cat}"
    );
    let results = std::fs::read_to_string(out.join("results.json")).unwrap();
    for file in [&cat, &results] {
        assert!(
            !file.contains("SECRET-EXPECTED-VALUE") && !file.contains("assert_eq!"),
            "a hidden test's code or expected value leaked"
        );
    }
    let zoe = &by_id["zoe"]["exercises"]["02"]["tests"];
    assert!(
        zoe.as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "hidden: two_pairs" && t["status"] == "pass"),
        "the hidden test ran: {zoe}"
    );
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        report.contains("scores.svg") && report.contains("The tests failed most often"),
        "{report}"
    );
    assert!(std::fs::read_to_string(out.join("scores.svg")).unwrap().contains("<svg"));

    // Run again: everything comes from the cache, with the same grades.
    let again = grade(&args);
    assert!(again.status.success());
    let book2: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(book["students"], book2["students"], "a second run gives the same gradebook");
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn self_check_scores_solutions_full_and_stubs_zero() {
    let run = grade(&["--self-check", "--exercises", "02", "--json"]);
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{text}{}", String::from_utf8_lossy(&run.stderr));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["reference"]["total"], v["reference"]["max"]);
    assert_eq!(v["stub"]["total"], 0.0);
}

/// A secret of this run, in a form that no source file contains.
fn canary(what: &str) -> String {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("CANARY-{what}-{nanos:x}{:x}", std::process::id())
}

/// Code for `predict` that, on x = 2, reads every file it can (but the
/// system's `/usr`, `/proc`, `/sys`, `/dev`), looks for secrets in them, and
/// panics with what it found, the environment it sees (at run time and at
/// compile time) and what its exercise's `tests/` folder holds.
fn walker(canary_file: &Path) -> String {
    format!(
        r#"
if x == 2.0 {{
    fn walk(dir: &std::path::Path, depth: usize, found: &mut Vec<String>, seen: &mut usize) {{
        if depth > 16 {{ return; }}
        let Ok(entries) = std::fs::read_dir(dir) else {{ return }};
        for e in entries.flatten() {{
            let p = e.path();
            let s = p.to_string_lossy().to_string();
            if ["/usr", "/proc", "/sys", "/dev"].iter().any(|x| s.starts_with(x)) {{ continue; }}
            let Ok(t) = e.file_type() else {{ continue }};
            if t.is_dir() {{ walk(&p, depth + 1, found, seen); continue; }}
            *seen += 1;
            let Ok(bytes) = std::fs::read(&p) else {{ continue }};
            let text = String::from_utf8_lossy(&bytes);
            // Written backwards, so that no binary holds the keys themselves
            // (string literals lie side by side in a binary).
            for yek in ["-YRANAC", "DETCEPXE-TERCES", "sriap_owt nf"] {{
                let key: String = yek.chars().rev().collect();
                if let Some(i) = text.find(&key) {{
                    found.push(format!("{{s}}: {{}}", text[i..].chars().take(80).collect::<String>()));
                }}
            }}
        }}
    }}
    let (mut found, mut seen) = (Vec::new(), 0);
    walk(std::path::Path::new("/"), 0, &mut found, &mut seen);
    let direct = std::fs::read_to_string({canary:?});
    let env: Vec<String> = std::env::vars().map(|(k, v)| format!("{{k}}={{v}}")).collect();
    let built_with = option_env!("WORKBOOK_TEST_CANARY_ENV");
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let listed: Vec<String> = std::fs::read_dir(&tests).map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect()).unwrap_or_default();
    panic!("walked {{seen}} files; found {{found:?}}; direct read: {{direct:?}}; compile-time env: {{built_with:?}}; tests/: {{listed:?}}; env: {{env:?}}");
}}"#,
        canary = canary_file.display().to_string()
    )
}

#[test]
fn nothing_but_the_submission_and_the_course_reaches_the_output() {
    let base = scratch("secrets");
    // The instructor's home, with a secret in it; a secret in the environment.
    let home = base.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let (home_secret, env_secret) = (canary("HOME"), canary("ENV"));
    let secret_file = home.join("secret.txt");
    std::fs::write(&secret_file, &home_secret).unwrap();
    // A hidden test whose code and expected value must stay hidden; it calls
    // predict(…, 2.0), so the walker runs inside the hidden tests' binary
    // too, and a function that no public test calls.
    let hidden = base.join("hidden");
    std::fs::create_dir_all(hidden.join("exercise-02")).unwrap();
    let hidden_code = "#[test]\nfn two_pairs() {\n    let got = exercise_02::mean_squared_error(&[1.0, 2.0], &[1.0, 4.0]).unwrap();\n    assert_eq!(exercise_02::predict(1.0, 0.0, 2.0) + got, 4.0, \"SECRET-EXPECTED-VALUE 4.0\");\n    assert_eq!(exercise_02::Argument::Y.noun(), \"target\");\n}\n";
    std::fs::write(hidden.join("exercise-02/checks.rs"), hidden_code).unwrap();
    let subs = base.join("submissions");
    let solution = solution_02();
    let include = format!(
        "let secret: &str = include_str!({:?}); if x == 2.0 {{ panic!(\"{{secret}}\") }}",
        secret_file.display().to_string()
    );
    let read = format!(
        "if x == 2.0 {{ panic!(\"{{:?}}\", std::fs::read_to_string({:?})) }}",
        secret_file.display().to_string()
    );
    let hidden_source =
        "if x == 2.0 { panic!(\"{}\", include_str!(\"../tests/hidden_checks.rs\")) }";
    write_class(
        &subs,
        &[
            ("reads-at-run-time", put_into_predict(&solution, &read)),
            ("reads-at-compile-time", put_into_predict(&solution, &include)),
            ("includes-the-hidden-test", put_into_predict(&solution, hidden_source)),
            ("walks-everything", put_into_predict(&solution, &walker(&secret_file))),
            // Compiles with the public tests, not with the hidden one.
            ("hides-a-function", solution.replace("    pub fn noun(self)", "    fn noun(self)")),
        ],
    );
    let out = base.join("out");
    let real_home = PathBuf::from(std::env::var_os("HOME").unwrap());
    let or_default =
        |var: &str, default: PathBuf| std::env::var_os(var).map(PathBuf::from).unwrap_or(default);
    let run = grader(&[
        subs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--exercises",
        "02",
        "--hidden-tests",
        hidden.to_str().unwrap(),
        // The JUnit reports too, inside `out`, where every file is searched.
        "--junit",
        out.join("junit").to_str().unwrap(),
    ])
    .env("HOME", &home)
    .env("CARGO_HOME", or_default("CARGO_HOME", real_home.join(".cargo")))
    .env("RUSTUP_HOME", or_default("RUSTUP_HOME", real_home.join(".rustup")))
    .env("WORKBOOK_TEST_CANARY_ENV", &env_secret)
    .output()
    .unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "grade failed:\n{text}");

    // Not in any file the grader wrote (its cache included).
    let secrets = [home_secret.as_str(), env_secret.as_str(), "SECRET-EXPECTED", "fn two_pairs"];
    for (path, bytes) in tree(&out) {
        let content = String::from_utf8_lossy(&bytes);
        for secret in secrets {
            assert!(!content.contains(secret), "{} holds {secret}:\n{content}", path.display());
        }
    }
    assert!(out.join("junit/walks-everything.xml").is_file(), "the JUnit reports were written");
    // Each tried, and the feedback shows what it got instead.
    let feedback =
        |id: &str| std::fs::read_to_string(out.join(format!("feedback/{id}.md"))).unwrap();
    let walks = feedback("walks-everything");
    assert!(walks.contains("walked ") && walks.contains("found []"), "{walks}");
    assert!(walks.contains("compile-time env: None"), "{walks}");
    assert!(
        walks.contains("exercise_02.rs") && !walks.contains("hidden_"),
        "the walker saw the public tests, not the hidden ones:\n{walks}"
    );
    let runtime = feedback("reads-at-run-time");
    assert!(runtime.contains("Err("), "{runtime}");
    let compile = feedback("reads-at-compile-time");
    assert!(compile.contains("did not compile") && compile.contains("couldn't read"), "{compile}");
    let hidden_include = feedback("includes-the-hidden-test");
    assert!(hidden_include.contains("couldn't read"), "{hidden_include}");
    let hides = feedback("hides-a-function");
    assert!(hides.contains("hidden tests do not compile against this code"), "{hides}");
    let _ = std::fs::remove_dir_all(&base);
}

/// The processes whose environment, command line or working folder names
/// `dir`: those a grading run with its TMPDIR there started.
fn processes_under(dir: &Path) -> Vec<String> {
    let needle = dir.to_string_lossy().into_owned();
    let me = std::process::id().to_string();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let pid = entry.file_name().to_string_lossy().into_owned();
        if !pid.chars().all(|c| c.is_ascii_digit()) || pid == me {
            continue;
        }
        let read = |name: &str| {
            let bytes = std::fs::read(entry.path().join(name)).unwrap_or_default();
            String::from_utf8_lossy(&bytes).replace('\0', " ")
        };
        let cwd = std::fs::read_link(entry.path().join("cwd")).unwrap_or_default();
        let cmdline = read("cmdline");
        if [&cmdline, &read("environ"), &cwd.to_string_lossy().into_owned()]
            .iter()
            .any(|t| t.contains(&needle))
        {
            found.push(format!("{pid}: {}", cmdline.chars().take(300).collect::<String>()));
        }
    }
    found
}

/// The test processes (`--exact NAME`) among `processes`, by process id.
fn tests_running(processes: &[String]) -> BTreeSet<String> {
    processes
        .iter()
        .filter(|p| p.contains("--exact"))
        .map(|p| p.split(':').next().unwrap().to_string())
        .collect()
}

/// Starts `workbook grade ARGS` with its TMPDIR in `tmp`, waits until one of
/// the submission's tests has run for a second (the reference solution's
/// take milliseconds), sends `signal`, and checks that the grader ends and
/// that no process it started is left. Returns the exit status and the
/// grader's standard error.
fn stop_mid_run(
    args: &[&str],
    tmp: &Path,
    signal: i32,
    path: Option<&Path>,
) -> (ExitStatus, String) {
    std::fs::create_dir_all(tmp).unwrap();
    let err_path = tmp.with_extension("stderr");
    let mut cmd = grader(args);
    cmd.env("TMPDIR", tmp)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&err_path).unwrap());
    if let Some(path) = path {
        cmd.env("PATH", path);
    }
    let mut child = cmd.spawn().unwrap();
    let start = Instant::now();
    let mut before = BTreeSet::new();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the grader ended ({status}) before a test ran for long:\n{}",
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        assert!(start.elapsed() < Duration::from_secs(900), "no test of the submission ran");
        let now = tests_running(&processes_under(tmp));
        if now.intersection(&before).next().is_some() {
            break;
        }
        before = now;
        std::thread::sleep(Duration::from_millis(1000));
    }
    // SAFETY: kill(2) on the grader this test started.
    unsafe {
        libc::kill(child.id() as libc::pid_t, signal);
    }
    let stopped = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(stopped.elapsed() < Duration::from_secs(60), "the grader did not stop");
        std::thread::sleep(Duration::from_millis(100));
    };
    let left = loop {
        let left = processes_under(tmp);
        if left.is_empty() || stopped.elapsed() > Duration::from_secs(20) {
            break left;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    assert!(
        left.is_empty(),
        "signal {signal} left processes running:\n{}\n{stderr}",
        left.join("\n")
    );
    (status, stderr)
}

/// An interrupted grader says how to go on and left no temporary file.
fn check_interrupted(status: ExitStatus, stderr: &str, tmp: &Path) {
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("Run the same command again to continue"), "{stderr}");
    let left: Vec<String> = std::fs::read_dir(tmp)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// Exercise 02's solution with every function looping forever.
fn looping_class(dir: &Path) {
    write_class(dir, &[("loops", loop_everywhere(&solution_02()))]);
}

#[test]
fn stopping_the_grader_mid_run_leaves_nothing_behind() {
    let base = scratch("stop");
    let subs = base.join("submissions");
    looping_class(&subs);
    let out = base.join("out");
    let args = [subs.to_str().unwrap(), "--out", out.to_str().unwrap(), "--exercises", "02"];
    for (signal, name) in [(libc::SIGINT, "int"), (libc::SIGTERM, "term")] {
        let tmp = base.join(format!("tmp-{name}"));
        let (status, stderr) = stop_mid_run(&args, &tmp, signal, None);
        check_interrupted(status, &stderr, &tmp);
        assert!(!out.join("gradebook.csv").exists(), "nothing is written when interrupted");
    }
    // Killed outright: nothing can clean up, but no process survives.
    let (status, _) = stop_mid_run(&args, &base.join("tmp-kill"), libc::SIGKILL, None);
    assert_eq!(status.signal(), Some(libc::SIGKILL));
    let _ = std::fs::remove_dir_all(&base);
}

/// A PATH holding `rustc` and `cargo` (links to the ones found) but not bubblewrap.
fn path_without_bubblewrap(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["rustc", "cargo"] {
        let found = std::env::split_paths(&std::env::var_os("PATH").unwrap())
            .map(|d| d.join(tool))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("{tool} is on the PATH"));
        std::os::unix::fs::symlink(found, bin.join(tool)).unwrap();
    }
    bin
}

#[test]
fn without_bubblewrap_grading_needs_no_sandbox_and_every_output_says_so() {
    let base = scratch("no-sandbox");
    let path = path_without_bubblewrap(&base);
    let subs = base.join("submissions");
    write_class(&subs, &[("ada", solution_02())]);
    let out = base.join("out");
    let args = [subs.to_str().unwrap(), "--out", out.to_str().unwrap(), "--exercises", "02"];
    let refused = grader(&args).env("PATH", &path).output().unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("bubblewrap (bwrap) is not installed")
            && stderr.contains("apt-get install bubblewrap")
            && stderr.contains("--no-sandbox"),
        "{stderr}"
    );
    assert!(!out.join("gradebook.csv").exists());

    let mut told = args.to_vec();
    told.push("--no-sandbox");
    let run = grader(&told).env("PATH", &path).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let csv = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    for row in csv.lines().skip(1) {
        assert!(row.contains("not sandboxed (graded with --no-sandbox)"), "{row}");
    }
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(report.contains("Graded without a sandbox"), "{report}");
    let ada = std::fs::read_to_string(out.join("feedback/ada.md")).unwrap();
    assert!(ada.contains("Graded without a sandbox"), "{ada}");

    // Without the sandbox too, a stopped grader leaves no test running.
    let looping = base.join("looping");
    looping_class(&looping);
    let out2 = out.to_str().unwrap();
    let args = [looping.to_str().unwrap(), "--out", out2, "--exercises", "02", "--no-sandbox"];
    let tmp = base.join("tmp-term");
    let (status, stderr) = stop_mid_run(&args, &tmp, libc::SIGTERM, Some(&path));
    check_interrupted(status, &stderr, &tmp);
    assert_eq!(std::fs::read_to_string(out.join("gradebook.csv")).unwrap(), csv, "not rewritten");
    let (status, _) = stop_mid_run(&args, &base.join("tmp-kill"), libc::SIGKILL, Some(&path));
    assert_eq!(status.signal(), Some(libc::SIGKILL));
    let _ = std::fs::remove_dir_all(&base);
}
