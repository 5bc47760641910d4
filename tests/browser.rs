//! The built book, opened in a real browser.
//!
//! `tests/book.rs` checks the book's HTML as text; this test looks at it the
//! way a reader does. It builds the book with the pinned tools into a fresh
//! folder, serves it on 127.0.0.1 with a tiny static file server, and drives
//! Debian's headless Chromium over one chapter with math and figures:
//!
//! - the formulas were typeset (KaTeX's elements are there, none of them is
//!   an error, no raw `$$` is left in the visible text) and KaTeX's own fonts
//!   were loaded from the book, not from a CDN;
//! - every figure loaded (`naturalWidth > 0` for every `img`), the contour
//!   map of the cost surface among them;
//! - the search box finds "learning rate";
//! - screenshots of the chapter (light and dark theme) and of the search
//!   results land in `target/browser-screenshots/`, for CI to keep.
//!
//! The checks run in JavaScript inside the browser: a small harness page,
//! served next to the book, loads the chapter in an iframe of the same
//! origin, inspects it, and writes its verdict as JSON into `<pre id=result>`,
//! which `chromium --dump-dom` prints. The test fails, never skips, when
//! Chromium or the book's tools are missing.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::root;
use wait_timeout::ChildExt;

/// The chapter the test opens: it has formulas, figures and the words
/// "learning rate".
const CHAPTER: &str = "exercises/03-gradients.html";

/// A figure the chapter must show, loaded: the contour map of the cost
/// surface (drawn by `src/book/figures/surface.rs`, the book's largest SVG).
const CONTOUR_FIGURE: &str = "exercise-03-surface.svg";

/// What the search box is asked, and what its results must mention.
const SEARCH: &str = "learning rate";

/// Debian's Chromium; `CHROMIUM=/path/to/chrome` points the test elsewhere.
const CHROMIUM: &str = "/usr/bin/chromium";

/// How long one run of Chromium may take, in real seconds.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(90);

/// Cargo's target folder: the parent of the test's scratch folder.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is inside the target folder")
        .to_path_buf()
}

/// A folder under cargo's scratch folder, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("browser-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    dir
}

// ---------------------------------------------------------------------------
// The book and the server

/// Builds the book with the pinned tools into `out`.
fn build_book(out: &Path) {
    let root = root();
    let tools = workbook::book::find(&root).unwrap_or_else(|e| panic!("{e:#}"));
    let output = tools
        .mdbook(&root)
        .arg("build")
        .arg(root.join("book"))
        .arg("--dest-dir")
        .arg(out)
        .env("NO_COLOR", "1")
        .output()
        .expect("mdbook runs");
    assert!(
        output.status.success(),
        "`mdbook build book` failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Serves the files under `dir` on 127.0.0.1, on a free port, from a thread
/// that lives as long as the test; returns the base URL (`http://…/`).
fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0");
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let _ = answer(stream, &dir);
            });
        }
    });
    format!("http://127.0.0.1:{port}/")
}

/// Answers one HTTP request with a file under `dir`, or 404.
fn answer(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let file = local_file(dir, &percent_decode(path));
    let (status, kind, body) = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((f, body)) => ("200 OK", content_type(&f), body),
        None => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !request.starts_with("HEAD ") {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// The file a URL path names under `dir` (`/` is `index.html`), or `None`
/// for a path that tries to climb out of it.
fn local_file(dir: &Path, url_path: &str) -> Option<PathBuf> {
    let rel = url_path.trim_start_matches('/');
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    let rel = Path::new(&rel);
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    Some(dir.join(rel))
}

/// `%20` and friends back to bytes.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

// ---------------------------------------------------------------------------
// The pages the browser opens besides the book

/// Loads the chapter in an iframe, checks it, searches it, and writes the
/// verdict as JSON into `<pre id=result>`.
fn harness_page() -> String {
    format!(
        r#"<!doctype html>
<meta charset="utf-8">
<title>browser checks</title>
<pre id="result">pending</pre>
<iframe id="chapter" style="width:1280px;height:900px"></iframe>
<iframe id="search" style="width:1280px;height:900px"></iframe>
<script>
const CHAPTER = {chapter:?};
const SEARCH = {search:?};
const verdict = {{}};
const sleep = ms => new Promise(done => setTimeout(done, ms));
function load(id, src) {{
  return new Promise(done => {{
    const frame = document.getElementById(id);
    frame.onload = () => done(frame.contentDocument);
    frame.src = src;
  }});
}}
(async () => {{
  try {{
    const doc = await load('chapter', CHAPTER);
    const main = doc.querySelector('main') || doc.body;
    verdict.title = doc.title;
    verdict.katex = main.querySelectorAll('.katex').length;
    verdict.katex_errors = main.querySelectorAll('.katex-error').length;
    // The visible text without the typeset formulas and the code blocks.
    const prose = main.cloneNode(true);
    prose.querySelectorAll('.katex, pre, code, script, style').forEach(e => e.remove());
    verdict.raw_math = ['$$', '\\frac', '\\hat{{', '\\mathbf'].filter(t => prose.textContent.includes(t));
    verdict.images = [...main.querySelectorAll('img')].map(img => ({{
      src: img.getAttribute('src'),
      width: img.complete ? img.naturalWidth : 0,
    }}));
    await doc.fonts.ready;
    verdict.katex_fonts = [...doc.fonts]
      .filter(f => f.family.replace(/["']/g, '').startsWith('KaTeX') && f.status === 'loaded')
      .map(f => f.family.replace(/["']/g, ''));
    const found = await load('search', CHAPTER + '?search=' + encodeURIComponent(SEARCH));
    let items = [];
    for (let i = 0; i < 100 && items.length === 0; i++) {{
      items = [...found.querySelectorAll('#mdbook-searchresults li, #searchresults li')];
      if (items.length === 0) await sleep(50);
    }}
    verdict.search_results = items.length;
    verdict.search_mentions = items.filter(li => li.innerText.toLowerCase().includes(SEARCH)).length;
    verdict.search_first = items.length ? items[0].innerText.slice(0, 160) : '';
  }} catch (e) {{
    verdict.error = String((e && e.stack) || e);
  }}
  document.getElementById('result').textContent = JSON.stringify(verdict);
  document.title = 'done';
}})();
</script>
"#,
        chapter = CHAPTER,
        search = SEARCH,
    )
}

/// Chooses mdBook's theme (as its theme menu does, in the browser's local
/// storage, which belongs to the origin) and then opens the chapter.
fn theme_page(theme: &str) -> String {
    format!(
        r#"<!doctype html>
<meta charset="utf-8">
<script>
localStorage.setItem('mdbook-theme', {theme:?});
location.replace({chapter:?});
</script>
"#,
        chapter = CHAPTER,
    )
}

// ---------------------------------------------------------------------------
// Chromium

/// Chromium's path, or a failure that says how to install it.
fn chromium() -> PathBuf {
    let path = std::env::var_os("CHROMIUM")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(CHROMIUM));
    assert!(
        path.is_file(),
        "the browser test needs Chromium, and {} does not exist: install it with \
         `sudo apt-get install chromium` (Debian; on Ubuntu `chromium-browser`), \
         or point CHROMIUM at a Chrome or Chromium binary",
        path.display()
    );
    path
}

/// Runs headless Chromium on `url` with `args`, in a fresh profile, and
/// returns its standard output.
fn run_chromium(args: &[&str], url: &str) -> String {
    let profile =
        scratch(&format!("profile-{}", PROFILES.fetch_add(1, std::sync::atomic::Ordering::SeqCst)));
    let mut cmd = Command::new(chromium());
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        "--virtual-time-budget=5000",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(args)
    .arg(url)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("could not start {}: {e}", CHROMIUM));
    // Drain both pipes while waiting, so a chatty browser can't block on them.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let status = match child.wait_timeout(CHROMIUM_TIMEOUT).expect("waiting for Chromium") {
        Some(status) => status,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("Chromium did not finish within {CHROMIUM_TIMEOUT:?} on {url}");
        }
    };
    let (stdout, stderr) = (out.join().unwrap(), err.join().unwrap());
    assert!(status.success(), "Chromium failed ({status}) on {url}:\n{stderr}");
    let _ = std::fs::remove_dir_all(&profile);
    stdout
}

static PROFILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Takes a screenshot of `url` into `path`, and checks that one was written.
fn screenshot(url: &str, path: &Path, height: u32) {
    let _ = std::fs::remove_file(path);
    run_chromium(
        &[&format!("--window-size=1280,{height}"), &format!("--screenshot={}", path.display())],
        url,
    );
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 10_000,
        "the screenshot {} was not written, or is blank ({size} bytes)",
        path.display()
    );
}

/// The text inside `<pre id="result">…</pre>` of a dumped DOM, unescaped.
fn result_json(dom: &str) -> Option<String> {
    let start = dom.find("<pre id=\"result\">")? + "<pre id=\"result\">".len();
    let end = start + dom[start..].find("</pre>")?;
    Some(
        dom[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    )
}

// ---------------------------------------------------------------------------
// The test

#[test]
fn the_book_reads_well_in_a_browser() {
    let started = Instant::now();
    let browser = chromium(); // fail first, and clearly, if there is no browser
    let book = scratch("book");
    build_book(&book);
    assert!(
        book.join(CHAPTER).is_file(),
        "the built book has no {CHAPTER}; change CHAPTER in tests/browser.rs"
    );
    std::fs::write(book.join("__browser_check.html"), harness_page()).unwrap();
    std::fs::write(book.join("__theme_navy.html"), theme_page("navy")).unwrap();
    let base = serve(book.clone());

    let dom = run_chromium(&["--dump-dom"], &format!("{base}__browser_check.html"));
    let json = result_json(&dom).unwrap_or_else(|| {
        panic!("the harness page wrote no result; {} printed:\n{dom}", browser.display())
    });
    assert!(
        json != "pending",
        "the checks did not finish within Chromium's virtual time budget (5 s): \
         is the page or the search index very slow to load?"
    );
    let verdict: serde_json::Value = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("the harness's result is not JSON ({e}): {json}"));
    println!("{CHAPTER} in the browser: {verdict:#}");

    let mut problems = Vec::new();
    if let Some(error) = verdict["error"].as_str() {
        problems.push(format!("the checks stopped with a JavaScript error: {error}"));
    }
    if verdict["katex"].as_u64().unwrap_or(0) == 0 {
        problems.push("no KaTeX element on the page: the formulas were not typeset".to_string());
    }
    if verdict["katex_errors"].as_u64().unwrap_or(0) > 0 {
        problems
            .push(format!("{} formulas failed to typeset (.katex-error)", verdict["katex_errors"]));
    }
    if verdict["raw_math"].as_array().is_none_or(|raw| !raw.is_empty()) {
        problems.push(format!("raw TeX is visible in the text: {}", verdict["raw_math"]));
    }
    if verdict["katex_fonts"].as_array().is_none_or(|fonts| fonts.is_empty()) {
        problems.push(
            "none of KaTeX's fonts was loaded from the book (book/src/katex/fonts)".to_string(),
        );
    }
    match verdict["images"].as_array() {
        Some(images) if !images.is_empty() => {
            for image in images {
                if image["width"].as_u64().unwrap_or(0) == 0 {
                    problems.push(format!(
                        "the figure {} did not load (naturalWidth is 0)",
                        image["src"]
                    ));
                }
            }
        }
        _ => problems.push(format!("{CHAPTER} shows no figure; pick a chapter with one")),
    }
    let contour_loaded = verdict["images"].as_array().is_some_and(|images| {
        images.iter().any(|image| {
            image["src"].as_str().is_some_and(|src| src.ends_with(CONTOUR_FIGURE))
                && image["width"].as_u64().unwrap_or(0) > 0
        })
    });
    if !contour_loaded {
        problems.push(format!(
            "{CHAPTER} does not show the contour figure {CONTOUR_FIGURE}, loaded: {}",
            verdict["images"]
        ));
    }
    if verdict["search_results"].as_u64().unwrap_or(0) == 0 {
        problems.push(format!("the search box found nothing for {SEARCH:?}"));
    } else if verdict["search_mentions"].as_u64().unwrap_or(0) == 0 {
        problems.push(format!(
            "no search result for {SEARCH:?} mentions it: {}",
            verdict["search_first"]
        ));
    }
    assert!(
        problems.is_empty(),
        "{CHAPTER} in Chromium:\n  {}\n(the harness saw: {verdict})",
        problems.join("\n  ")
    );

    // Screenshots for people (CI keeps the folder as an artifact).
    let shots = target_dir().join("browser-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let name = CHAPTER.trim_end_matches(".html").replace('/', "-");
    screenshot(&format!("{base}{CHAPTER}"), &shots.join(format!("{name}-light.png")), 2400);
    screenshot(&format!("{base}__theme_navy.html"), &shots.join(format!("{name}-navy.png")), 2400);
    let query = SEARCH.replace(' ', "%20");
    screenshot(
        &format!("{base}{CHAPTER}?search={query}"),
        &shots.join("search-learning-rate.png"),
        1000,
    );
    println!("screenshots in {}; the test took {:.1?}", shots.display(), started.elapsed());

    let _ = std::fs::remove_dir_all(&book);
}

#[test]
fn the_file_server_stays_inside_its_folder() {
    let dir = Path::new("/srv/book");
    assert_eq!(local_file(dir, "/"), Some(dir.join("index.html")));
    assert_eq!(local_file(dir, "/part0/"), Some(dir.join("part0/index.html")));
    assert_eq!(local_file(dir, "/katex/katex.min.css"), Some(dir.join("katex/katex.min.css")));
    assert_eq!(local_file(dir, "/../etc/passwd"), None);
    assert_eq!(local_file(dir, "/a/../../b"), None);
    assert_eq!(percent_decode("/a%20b%2Fc"), "/a b/c");
    assert_eq!(percent_decode("/100%"), "/100%");
    assert_eq!(content_type(Path::new("x.svg")), "image/svg+xml");
}
