//! `cargo workbook watch`: rerun the current exercise's tests on every save.

use std::fs::File;
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::course::manifest::{Exercise, Manifest};
use crate::course::sources;
use crate::engine::{Engine, Report};
use crate::learner::progress;

/// How the outcome of each run is shown; the command-line tool decides the
/// colours and whether to clear the screen.
pub trait Screen {
    fn running(&mut self, ex: &Exercise);
    fn report(&mut self, ex: &Exercise, report: &Report);
    fn error(&mut self, ex: &Exercise, error: &anyhow::Error);
    fn waiting(&mut self, ex: &Exercise, polling: bool);
    /// `done` passes: every test (`whole`), or its core.
    fn moving_on(&mut self, done: &Exercise, whole: bool, next: Option<&Exercise>);
}

/// Options of a watch.
pub struct Options {
    /// Poll the files instead of relying on the file system's events.
    pub poll: bool,
    pub debounce: Duration,
    /// Stay on the first exercise until every test passes, its deeper parts
    /// included (the learner asked for it by name). Every other exercise is
    /// left when its core passes: the core path comes first.
    pub whole_first: bool,
}

/// Holds `.workbook/watch.lock` for as long as a watch runs, so two watches
/// of one course don't fight over the same build.
pub fn lock(root: &Path) -> Result<File> {
    let dir = root.join(".workbook");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("watch.lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("could not open {}", path.display()))?;
    if file.try_lock().is_err() {
        bail!(
            "another `cargo workbook watch` is already running for this course (it holds {}); stop it with Ctrl-C first, or keep using that one",
            path.display()
        );
    }
    Ok(file)
}

/// Watches exercise `start` (an index into the manifest's exercises) and the
/// ones after it, until every exercise passes or the process is stopped.
pub fn run(
    root: &Path,
    manifest: &Manifest,
    engine: &Engine,
    start: usize,
    options: &Options,
    screen: &mut dyn Screen,
) -> Result<()> {
    let _lock = lock(root)?;
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut polling = options.poll;
    let mut watcher = Watcher::new(tx.clone(), polling)?;
    let mut index = start;
    while index < manifest.exercises.len() {
        let ex = &manifest.exercises[index];
        let src = root.join(ex.dir()).join("src");
        if let Err(e) = watcher.watch(&src) {
            if polling {
                return Err(e).with_context(|| format!("could not watch {}", src.display()));
            }
            // Some file systems (network mounts, some containers) give no events: poll instead.
            polling = true;
            watcher = Watcher::new(tx.clone(), true)?;
            watcher.watch(&src).with_context(|| format!("could not watch {}", src.display()))?;
        }
        let mut whole = true;
        loop {
            // What this run tests: a later event only counts as a save if the
            // sources then differ from it.
            let tested = sources::learner(root, ex).ok();
            screen.running(ex);
            match engine.run_in_place(ex) {
                Ok(report) => {
                    screen.report(ex, &report);
                    let stay = options.whole_first && index == start;
                    if report.all_passed() {
                        break;
                    }
                    if !stay && progress::from_report(ex, report).core_done() {
                        whole = false;
                        break;
                    }
                }
                Err(e) => screen.error(ex, &e),
            }
            screen.waiting(ex, polling);
            let changed = || sources::learner(root, ex).ok() != tested;
            wait_for_change(&rx, options.debounce, &changed)?;
        }
        watcher.unwatch(&src);
        index += 1;
        screen.moving_on(ex, whole, manifest.exercises.get(index));
    }
    Ok(())
}

/// Blocks until a `.rs` file was saved with new content: an event that
/// writes, creates, renames or removes a `.rs` file, then `debounce` without
/// another (an editor's save is often several events), after which `changed`
/// says the sources differ from what the last run tested. Reading a file is
/// not a save: the file system reports every open, and the build itself
/// (and `changed`) opens the sources. A save of the same text, or an
/// editor's temporary files, start no run either.
fn wait_for_change(
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    debounce: Duration,
    changed: &dyn Fn() -> bool,
) -> Result<()> {
    loop {
        let event = rx.recv().context("the file watcher stopped")?;
        if !is_save(&event) {
            continue;
        }
        let mut quiet_until = Instant::now() + debounce;
        loop {
            match rx.recv_timeout(quiet_until.saturating_duration_since(Instant::now())) {
                Ok(event) if is_save(&event) => quiet_until = Instant::now() + debounce,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => bail!("the file watcher stopped"),
            }
        }
        if changed() {
            return Ok(());
        }
    }
}

/// Whether an event may have changed a `.rs` file's text (an error of the
/// watcher counts, so that nothing is missed).
fn is_save(event: &notify::Result<notify::Event>) -> bool {
    match event {
        Err(_) => true,
        Ok(e) => {
            !matches!(e.kind, EventKind::Access(_))
                && e.paths.iter().any(|p| p.extension().is_some_and(|x| x == "rs"))
        }
    }
}

enum Watcher {
    Native(RecommendedWatcher),
    Poll(PollWatcher),
}

impl Watcher {
    fn new(tx: mpsc::Sender<notify::Result<notify::Event>>, poll: bool) -> Result<Watcher> {
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(500))
            .with_compare_contents(true);
        Ok(if poll {
            Watcher::Poll(
                PollWatcher::new(tx, config).context("could not start polling the files")?,
            )
        } else {
            Watcher::Native(
                RecommendedWatcher::new(tx, config).context("could not start the file watcher")?,
            )
        })
    }

    fn watch(&mut self, path: &Path) -> Result<()> {
        match self {
            Watcher::Native(w) => w.watch(path, RecursiveMode::Recursive)?,
            Watcher::Poll(w) => w.watch(path, RecursiveMode::Recursive)?,
        }
        Ok(())
    }

    fn unwatch(&mut self, path: &Path) {
        let _ = match self {
            Watcher::Native(w) => w.unwatch(path),
            Watcher::Poll(w) => w.unwatch(path),
        };
    }
}
