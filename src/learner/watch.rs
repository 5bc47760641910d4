//! `cargo workbook watch`: rerun the current exercise's tests on every save.

use std::fs::File;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use notify_debouncer_mini::notify::{self, RecursiveMode};
use notify_debouncer_mini::{Config, DebounceEventResult, new_debouncer_opt};

use crate::course::manifest::{Exercise, Manifest};
use crate::engine::{Engine, Report};

/// How the outcome of each run is shown; the command-line tool decides the
/// colours and whether to clear the screen.
pub trait Screen {
    fn running(&mut self, ex: &Exercise);
    fn report(&mut self, ex: &Exercise, report: &Report);
    fn error(&mut self, ex: &Exercise, error: &anyhow::Error);
    fn waiting(&mut self, ex: &Exercise, polling: bool);
    fn moving_on(&mut self, done: &Exercise, next: Option<&Exercise>);
}

/// Options of a watch.
pub struct Options {
    /// Poll the files instead of relying on the file system's events.
    pub poll: bool,
    pub debounce: Duration,
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
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut polling = options.poll;
    let mut watcher = Watcher::new(tx.clone(), polling, options.debounce)?;
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
            watcher = Watcher::new(tx.clone(), true, options.debounce)?;
            watcher.watch(&src).with_context(|| format!("could not watch {}", src.display()))?;
        }
        loop {
            screen.running(ex);
            match engine.run_in_place(ex) {
                Ok(report) => {
                    screen.report(ex, &report);
                    if report.all_passed() {
                        break;
                    }
                }
                Err(e) => screen.error(ex, &e),
            }
            screen.waiting(ex, polling);
            wait_for_change(&rx)?;
        }
        watcher.unwatch(&src);
        index += 1;
        screen.moving_on(ex, manifest.exercises.get(index));
    }
    Ok(())
}

/// Blocks until a `.rs` file changed, then drains whatever else arrived.
fn wait_for_change(rx: &mpsc::Receiver<DebounceEventResult>) -> Result<()> {
    loop {
        let events = rx.recv().context("the file watcher stopped")?;
        let relevant = match events {
            Ok(events) => events.iter().any(|e| e.path.extension().is_some_and(|x| x == "rs")),
            Err(_) => true,
        };
        if relevant {
            while rx.try_recv().is_ok() {}
            return Ok(());
        }
    }
}

enum Watcher {
    Native(notify_debouncer_mini::Debouncer<notify::RecommendedWatcher>),
    Poll(notify_debouncer_mini::Debouncer<notify::PollWatcher>),
}

impl Watcher {
    fn new(
        tx: mpsc::Sender<DebounceEventResult>,
        poll: bool,
        debounce: Duration,
    ) -> Result<Watcher> {
        let notify_config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(500))
            .with_compare_contents(true);
        let config = Config::default().with_timeout(debounce).with_notify_config(notify_config);
        Ok(if poll {
            Watcher::Poll(
                new_debouncer_opt(config, tx).context("could not start polling the files")?,
            )
        } else {
            Watcher::Native(
                new_debouncer_opt(config, tx).context("could not start the file watcher")?,
            )
        })
    }

    fn watch(&mut self, path: &Path) -> Result<()> {
        match self {
            Watcher::Native(d) => d.watcher().watch(path, RecursiveMode::Recursive)?,
            Watcher::Poll(d) => d.watcher().watch(path, RecursiveMode::Recursive)?,
        }
        Ok(())
    }

    fn unwatch(&mut self, path: &Path) {
        let _ = match self {
            Watcher::Native(d) => d.watcher().unwatch(path),
            Watcher::Poll(d) => d.watcher().unwatch(path),
        };
    }
}
