//! Running a process with a timeout and its output capped: read by threads
//! that keep the first and last bytes of each stream.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Result;
use wait_timeout::ChildExt;

use super::live::{self, Interrupted};

/// Output of a process run with a timeout.
pub(super) struct Captured {
    /// `None` when the timeout struck and the process was killed.
    pub(super) status: Option<std::process::ExitStatus>,
    /// stdout, cut at the cap.
    pub(super) stdout: String,
    /// stdout, then stderr, each cut at the cap.
    pub(super) text: String,
}

/// Runs `cmd` (prepared with [`live::contain`]) with both output streams
/// read by threads that keep the first and last `cap / 2` bytes and drain
/// the rest; kills its whole process group at the timeout. Fails with
/// [`Interrupted`] if the grader is being stopped, whatever the process did.
pub(super) fn run_capped(mut cmd: Command, timeout: Duration, cap: usize) -> Result<Captured> {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut live = live::spawn(&mut cmd)?;
    let (sender, received) = std::sync::mpsc::channel();
    let streams = [
        live.child.stdout.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
        live.child.stderr.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
    ];
    let mut readers = 0;
    for (i, stream) in streams.into_iter().enumerate() {
        if let Some(stream) = stream {
            let sender = sender.clone();
            readers += 1;
            std::thread::spawn(move || {
                let _ = sender.send((i, read_stream_capped(stream, cap)));
            });
        }
    }
    let status = match live.child.wait_timeout(timeout)? {
        Some(status) => Some(status),
        None => {
            live.kill_group();
            let _ = live.child.wait();
            None
        }
    };
    // A process of the group may still hold the pipes open: kill the group
    // so that the readers see the end of their streams.
    live.kill_group();
    // One that left the group (setsid) may hold them still: its output is
    // not waited for beyond a grace period (the accounts' processes are all
    // killed when their phase ends; bubblewrap's die with the sandbox).
    let grace = Instant::now() + Duration::from_secs(2);
    let mut parts = [String::new(), String::new()];
    let mut held = false;
    for _ in 0..readers {
        match received.recv_timeout(grace.saturating_duration_since(Instant::now())) {
            Ok((i, text)) => parts[i] = text,
            Err(_) => {
                held = true;
                break;
            }
        }
    }
    let [stdout, mut stderr] = parts;
    if held {
        stderr.push_str("\n[the test's output was cut: a process it started kept running after it and held the output open]\n");
    }
    let text = format!("{stdout}{stderr}");
    drop(live);
    if live::stopping() {
        return Err(Interrupted.into());
    }
    Ok(Captured { status, stdout, text })
}

/// Reads a stream to its end, keeping its first and its last `cap / 2`
/// bytes (libtest's verdict is at the end), and dropping the middle.
fn read_stream_capped(mut stream: impl Read, cap: usize) -> String {
    let half = cap / 2;
    let mut head = Vec::new();
    // The last bytes read: at most `2 * half`, trimmed to `half` when full,
    // so each byte is copied a bounded number of times.
    let mut tail: Vec<u8> = Vec::new();
    let mut total = 0usize;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
            Ok(n) => {
                total += n;
                let mut chunk = &buf[..n];
                let room = half.saturating_sub(head.len());
                if room > 0 {
                    let take = room.min(chunk.len());
                    head.extend_from_slice(&chunk[..take]);
                    chunk = &chunk[take..];
                }
                if chunk.len() >= half {
                    tail.clear();
                    tail.extend_from_slice(&chunk[chunk.len() - half..]);
                } else {
                    tail.extend_from_slice(chunk);
                    if tail.len() > 2 * half {
                        tail.drain(..tail.len() - half);
                    }
                }
            }
        }
    }
    if tail.len() > half {
        tail.drain(..tail.len() - half);
    }
    let mut text = String::from_utf8_lossy(&head).into_owned();
    if total > head.len() + tail.len() {
        text.push_str(&format!(
            "\n[output cut: {total} bytes in all; the first and last {half} kept]\n"
        ));
    }
    text.push_str(&String::from_utf8_lossy(&tail));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_output_keeps_its_beginning_and_its_end() {
        let text = format!("start\n{}end\n", "x".repeat(100_000));
        let kept = read_stream_capped(text.as_bytes(), 1000);
        assert!(
            kept.starts_with("start") && kept.ends_with("end\n") && kept.contains("output cut"),
            "{}",
            kept.len()
        );
        assert!(kept.len() < 1200);
        let short = read_stream_capped("all of it\n".as_bytes(), 1000);
        assert_eq!(short, "all of it\n");
    }

    #[test]
    fn the_tail_is_the_last_bytes_whatever_the_chunks() {
        // A reader that returns one byte at a time, then a big chunk.
        struct Dribble(Vec<u8>, usize);
        impl Read for Dribble {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = if self.1 < 300 { 1 } else { buf.len() }.min(self.0.len() - self.1);
                buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
                self.1 += n;
                Ok(n)
            }
        }
        let bytes: Vec<u8> = (0..5000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let kept = read_stream_capped(Dribble(bytes.clone(), 0), 200);
        let tail = String::from_utf8_lossy(&bytes[bytes.len() - 100..]).into_owned();
        assert!(kept.ends_with(&tail), "{kept}");
        assert!(kept.starts_with(&String::from_utf8_lossy(&bytes[..100]).into_owned()));
    }
}
