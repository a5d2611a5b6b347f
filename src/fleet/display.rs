//! The fleet run's display for people: an indicatif `MultiProgress` on
//! stderr with an overall bar (streams done of all, with counts) and a line
//! per stream in flight showing what it is doing, or, when the run has more
//! than one target, a line per target in flight (`prod / eu-west-1:
//! 12/40`). Off a terminal (or with `TERM=dumb`) nothing is drawn and no
//! ticker thread starts.

use std::cell::Cell;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress::{Progress, for_people};

/// The display; every method is a no-op when it is hidden.
#[derive(Debug)]
pub struct Display {
    multi: Option<MultiProgress>,
    /// Lines are per target, not per stream.
    per_target: bool,
    overall: ProgressBar,
    started: Cell<u64>,
    failed: Cell<u64>,
}

impl Display {
    /// A display for `total` streams (more are added as targets list
    /// theirs), with a line per target when `per_target`, visible only on a
    /// terminal.
    pub fn new(total: usize, per_target: bool) -> Self {
        if !for_people() {
            return Self {
                multi: None,
                per_target,
                overall: ProgressBar::hidden(),
                started: Cell::new(0),
                failed: Cell::new(0),
            };
        }
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let overall = multi.add(ProgressBar::new(total as u64));
        if let Ok(style) =
            ProgressStyle::with_template("{bar:30} {pos}/{len} streams {msg} ({elapsed})")
        {
            overall.set_style(style);
        }
        overall.enable_steady_tick(Duration::from_millis(200));
        Self {
            multi: Some(multi),
            per_target,
            overall,
            started: Cell::new(0),
            failed: Cell::new(0),
        }
    }

    /// A line for the stream `name`, showing `status`; removed when
    /// dropped. Hidden when lines are per target.
    pub fn line(&self, name: &str, status: &str) -> Progress {
        match &self.multi {
            Some(multi) if !self.per_target => Progress::line_of(multi, name, status),
            _ => Progress::hidden(),
        }
    }

    /// A line for the target `label`, showing `status`; removed when
    /// dropped. Hidden unless lines are per target.
    pub fn target_line(&self, label: &str, status: &str) -> Progress {
        match &self.multi {
            Some(multi) if self.per_target => Progress::line_of(multi, label, status),
            _ => Progress::hidden(),
        }
    }

    /// `n` more streams to deal with (a target listed its own).
    pub fn add(&self, n: usize) {
        self.overall.inc_length(n as u64);
    }

    /// A stream is finished; `started` when a call changed it, `failed`
    /// when it failed.
    pub fn done(&self, started: bool, failed: bool) {
        self.started.set(self.started.get() + u64::from(started));
        self.failed.set(self.failed.get() + u64::from(failed));
        self.overall.inc(1);
        self.overall.set_message(format!(
            "· {} started · {} failed",
            self.started.get(),
            self.failed.get()
        ));
    }

    /// Say what the run as a whole is doing (listing, waiting).
    pub fn phase(&self, what: &str) {
        self.overall.set_message(format!("· {what}"));
    }

    /// Remove the display from the terminal.
    pub fn clear(&self) {
        self.overall.finish_and_clear();
        if let Some(multi) = &self.multi {
            let _ = multi.clear();
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        self.clear();
    }
}
