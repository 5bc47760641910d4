//! The instructor's grader, tried as an instructor would: a folder of
//! submissions made from `tests/fixtures/class.toml` (working, partial,
//! untouched, and every hostile or broken case), graded with one command.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

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
                let anchor = "    w * x + b\n    // END SOLUTION";
                assert_eq!(
                    text.matches(anchor).count(),
                    1,
                    "predict's body is where hostile code goes"
                );
                text = text.replace(anchor, &format!("    {code}\n{anchor}"));
            }
            files.insert(format!("{prefix}exercise-{id}/src/{}", rel.display()), text.into_bytes());
        }
    }
    for f in &s.files {
        files.insert(f.path.clone(), f.content.clone().into_bytes());
    }
    files
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
            "empty" => std::fs::create_dir_all(dir.join(&s.id)).unwrap(),
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
            "tar.gz" | "tar-symlink" => {
                let gz = flate2::write::GzEncoder::new(
                    std::fs::File::create(dir.join(format!("{}.tar.gz", s.id))).unwrap(),
                    flate2::Compression::fast(),
                );
                let mut tar = tar::Builder::new(gz);
                for (p, b) in &wrapped {
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

/// Runs `workbook grade` the way an instructor runs the built binary: without
/// the variables that `cargo` and rustup set for the programs they start.
fn grade(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_workbook"))
        .arg("grade")
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTUP_HOME")
        .env_remove("CARGO")
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap()
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
    let by_id: BTreeMap<String, &serde_json::Value> = book["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["student"].as_str().unwrap().to_string(), s))
        .collect();
    let mut problems = Vec::new();
    for s in &students {
        let r = by_id.get(&s.id).unwrap_or_else(|| panic!("{} is missing from results.json", s.id));
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
    if sandboxed {
        assert!(!base.join("pwned.txt").exists(), "a test wrote next to the submissions");
    }

    // The files an instructor opens.
    let csv = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    assert!(csv.starts_with("student,exercise_01,exercise_02,total,max,status,flags"), "{csv}");
    assert_eq!(csv.lines().count(), students.len() + 1);
    for s in &students {
        let fb =
            std::fs::read_to_string(out.join("feedback").join(format!("{}.md", s.id))).unwrap();
        assert!(fb.starts_with(&format!("# Feedback for {}", s.id)));
    }
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

    // The per-test verdict the Classroom workflow asks for.
    let result = |student: &str, test: &str| {
        Command::new(env!("CARGO_BIN_EXE_workbook"))
            .args(["grade-result", out.to_str().unwrap(), student, "02", test])
            .current_dir(root())
            .output()
            .unwrap()
    };
    let test = "mse_of_a_small_example_by_hand_is_3_5";
    assert_eq!(result("ada", test).status.code(), Some(0));
    let cat_result = result("cat", test);
    assert_eq!(cat_result.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&cat_result.stdout).contains("n − 1"),
        "the failing verdict carries the learner's message"
    );

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

#[test]
fn the_classroom_workflow_has_one_step_per_test_with_its_points() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("classroom-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_workbook"))
        .args([
            "classroom",
            "--course-repository",
            "teacher/linear-regression",
            "--course-ref",
            "v1",
            "--exercises",
            "02",
            "--out",
        ])
        .arg(&dir)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let yaml = std::fs::read_to_string(dir.join(".github/workflows/classroom.yml")).unwrap();
    let steps = yaml.matches("uses: classroom-resources/autograding-command-grader@v1").count();
    let self_check = grade(&["--self-check", "--exercises", "02", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&self_check.stdout).unwrap();
    let tests = v["reference"]["exercises"]["02"]["tests"].as_array().unwrap();
    assert_eq!(steps, tests.len(), "one autograding step per test");
    let points: f64 = yaml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("max-score: "))
        .map(|p| p.parse::<f64>().unwrap())
        .sum();
    assert_eq!(
        points,
        v["reference"]["max"].as_f64().unwrap(),
        "the steps are worth the manifest's points"
    );
    let runners = yaml.lines().find_map(|l| l.trim().strip_prefix("runners: ")).unwrap();
    assert_eq!(runners.split(',').count(), steps);
    for id in runners.split(',') {
        assert!(
            yaml.contains(&format!("id: {id}\n"))
                && yaml.contains(&format!("{}_RESULTS", id.to_uppercase())),
            "{id}"
        );
    }
    assert!(
        yaml.contains("repository: teacher/linear-regression") && yaml.contains("ref: v1"),
        "pristine tests come from the course"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
