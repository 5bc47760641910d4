//! `cargo workbook plot`: the chapter's figures drawn by the learner's code,
//! beside the same figures drawn by the reference solution.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::course::manifest::Exercise;
use crate::course::sources;
use crate::engine::Engine;
use crate::util::fs::write_atomic;

/// What [`draw`] made.
#[derive(Debug)]
pub struct Drawn {
    /// The folder with `yours/`, `reference/` and `index.html`.
    pub folder: PathBuf,
    /// The reference's figures (SVG file names).
    pub figures: Vec<String>,
    /// Why the learner's code could not draw, if it could not.
    pub yours_failed: Option<String>,
}

/// Runs the exercise's `examples/plot.rs` with the learner's code (in place)
/// and with the reference solution (in a slot), into `out/yours` and
/// `out/reference`, and writes `out/index.html` showing them side by side.
/// `progress` is told what is being drawn.
pub fn draw(
    root: &Path,
    engine: &Engine,
    ex: &Exercise,
    out: &Path,
    progress: &dyn Fn(&str),
) -> Result<Drawn> {
    if !root.join(ex.dir()).join("examples/plot.rs").is_file() {
        bail!(
            "exercise {} has no figures to draw from your code (it has no examples/plot.rs)",
            ex.id
        );
    }
    let yours = out.join("yours");
    let reference = out.join("reference");
    for dir in [&yours, &reference] {
        let _ = std::fs::remove_dir_all(dir);
    }
    progress("Drawing with your code…");
    let mine = engine.run_example(ex, None, "plot", &[yours.as_os_str(), OsStr::new("your")]);
    progress("Drawing with the reference solution…");
    let solution = sources::solution(root, ex)?;
    let args = [reference.as_os_str(), OsStr::new("the reference")];
    if let Err(e) = engine.run_example(ex, Some(&solution), "plot", &args) {
        bail!("the reference solution could not draw its figures: {e:#}");
    }
    let figures = svg_files(&reference);
    let yours_failed = mine.err().map(|e| format!("{e:#}"));
    let html = index_html(ex, &figures, &yours, yours_failed.as_deref());
    write_atomic(&out.join("index.html"), html.as_bytes())?;
    Ok(Drawn { folder: out.to_path_buf(), figures, yours_failed })
}

/// The SVG files of a folder, sorted.
fn svg_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".svg"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The page that shows the learner's figures beside the reference's.
pub fn index_html(ex: &Exercise, figures: &[String], yours: &Path, failed: Option<&str>) -> String {
    let mut html = format!(
        "<!doctype html><meta charset=utf-8><title>Exercise {id}: your figures</title>\n<style>body{{font-family:sans-serif;margin:2em}} .row{{display:flex;gap:1em}} .row div{{flex:1}} img{{width:100%;border:1px solid #ccc}}</style>\n<h1>Exercise {id}, {title}: your figures and the reference's</h1>\n",
        id = ex.id,
        title = ex.title
    );
    if let Some(why) = failed {
        html.push_str(&format!(
            "<p><strong>Your code could not draw:</strong></p><pre>{}</pre>\n",
            escape_html(why)
        ));
    }
    for name in figures {
        let left = if yours.join(name).is_file() {
            format!("<img src=\"yours/{name}\">")
        } else {
            "<p>(not drawn)</p>".to_string()
        };
        html.push_str(&format!(
            "<h2>{name}</h2><div class=row><div><h3>Yours</h3>{left}</div><div><h3>Reference</h3><img src=\"reference/{name}\"></div></div>\n"
        ));
    }
    html
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
