//! The fleet run's display for people: an indicatif `MultiProgress` on
//! stderr with an overall bar (streams done of all, with counts) and a line
//! per stream in flight showing what it is doing. Off a terminal (or with
//! `TERM=dumb`) nothing is drawn and no ticker thread starts.

use std::cell::Cell;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress::{Progress, for_people};

/// The display; every method is a no-op when it is hidden.
#[derive(Debug)]
pub struct Display {
    multi: Option<MultiProgress>,
    overall: ProgressBar,
    started: Cell<u64>,
    failed: Cell<u64>,
}

impl Display {
    /// A display for `total` streams, visible only on a terminal.
    pub fn new(total: usize) -> Self {
        if !for_people() {
            return Self {
                multi: None,
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
            overall,
            started: Cell::new(0),
            failed: Cell::new(0),
        }
    }

    /// A line for `name`, showing `status`; removed when dropped.
    pub fn line(&self, name: &str, status: &str) -> Progress {
        match &self.multi {
            Some(multi) => Progress::line_of(multi, name, status),
            None => Progress::hidden(),
        }
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
