//! Percentiles and the units the report prints.

use std::time::Duration;

use serde_json::{json, Value};

pub struct Stats {
    pub n: usize,
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Stats {
    pub fn of(samples: &[Duration]) -> Stats {
        let mut v = samples.to_vec();
        v.sort_unstable();
        let pick = |q: f64| {
            if v.is_empty() {
                Duration::ZERO
            } else {
                let i = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
                v[i]
            }
        };
        Stats {
            n: v.len(),
            p50: pick(0.50),
            p90: pick(0.90),
            p99: pick(0.99),
            max: v.last().copied().unwrap_or_default(),
        }
    }
    pub fn text(&self) -> String {
        format!(
            "p50 {} / p90 {} / p99 {} / max {}",
            ms(self.p50),
            ms(self.p90),
            ms(self.p99),
            ms(self.max)
        )
    }
    pub fn json(&self) -> Value {
        let us = |d: Duration| d.as_micros() as u64;
        json!({"n": self.n, "p50_us": us(self.p50), "p90_us": us(self.p90), "p99_us": us(self.p99), "max_us": us(self.max)})
    }
}

pub fn ms(d: Duration) -> String {
    let us = d.as_micros();
    if us < 10_000 {
        format!("{:.2} ms", us as f64 / 1000.0)
    } else {
        format!("{:.1} ms", us as f64 / 1000.0)
    }
}

pub fn per_sec(n: usize, d: Duration) -> f64 {
    if d.is_zero() {
        0.0
    } else {
        n as f64 / d.as_secs_f64()
    }
}

pub fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}
