//! The `info` prober: sends `info --json` to the shell every interval, on its own
//! thread, and records each answer's latency under the label of the current phase.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::shell::{Shell, INFO_TIMEOUT};
use crate::stats::Stats;
use crate::Report;

/// Latencies by label, in the order the labels were first used.
pub type Samples = Vec<(String, Vec<Duration>)>;

/// Sends `info --json` every interval and records the latency under the current label.
pub struct Prober {
    pub stop: Arc<AtomicBool>,
    pub label: Arc<Mutex<String>>,
    pub samples: Arc<Mutex<Samples>>,
    pub lost: Arc<AtomicUsize>,
    pub thread: Option<std::thread::JoinHandle<()>>,
}

impl Prober {
    pub fn start(shell: &Arc<Shell>, interval: Duration, deadline: Instant) -> Prober {
        let stop = Arc::new(AtomicBool::new(false));
        let label = Arc::new(Mutex::new("idle".to_string()));
        let samples: Arc<Mutex<Samples>> = Arc::default();
        let lost = Arc::new(AtomicUsize::new(0));
        let thread = {
            let (stop, label, samples, lost) = (
                Arc::clone(&stop),
                Arc::clone(&label),
                Arc::clone(&samples),
                Arc::clone(&lost),
            );
            let shell = Arc::clone(shell);
            std::thread::spawn(move || {
                let mut next = Instant::now();
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    let tag = label.lock().unwrap_or_else(|p| p.into_inner()).clone();
                    match shell.info() {
                        Ok((d, _)) => {
                            let mut all = samples.lock().unwrap_or_else(|p| p.into_inner());
                            match all.iter_mut().find(|(l, _)| *l == tag) {
                                Some((_, list)) => list.push(d),
                                None => all.push((tag, vec![d])),
                            }
                        }
                        Err(_) => {
                            lost.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    next += interval;
                    let now = Instant::now();
                    if next > now {
                        std::thread::sleep(next - now);
                    } else {
                        next = now;
                    }
                }
            })
        };
        Prober {
            stop,
            label,
            samples,
            lost,
            thread: Some(thread),
        }
    }

    pub fn set(&self, label: &str) {
        *self.label.lock().unwrap_or_else(|p| p.into_inner()) = label.to_string();
    }

    /// Every latency so far under a label starting with `prefix`, except `except`.
    pub fn combined(&self, prefix: &str, except: &[&str]) -> Stats {
        let samples = self.samples.lock().unwrap_or_else(|p| p.into_inner());
        let all: Vec<Duration> = samples
            .iter()
            .filter(|(l, _)| l.starts_with(prefix) && !except.contains(&l.as_str()))
            .flat_map(|(_, list)| list.iter().copied())
            .collect();
        Stats::of(&all)
    }

    pub fn finish(mut self, report: &mut Report, prefix: &str) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let samples = self.samples.lock().unwrap_or_else(|p| p.into_inner());
        for (label, list) in samples.iter() {
            let s = Stats::of(list);
            report.row(
                &format!("info latency during {label}"),
                format!("{} (n={})", s.text(), s.n),
            );
            report.put(&format!("{prefix}info_{label}"), s.json());
        }
        let lost = self.lost.load(Ordering::Relaxed);
        if lost > 0 {
            report.fail(format!(
                "{lost} `info --json` probes got no answer within {} s",
                INFO_TIMEOUT.as_secs()
            ));
        }
    }
}
