//! The `--wait` spinner: an indicatif spinner on stderr when stderr is a
//! terminal, showing the current status and the elapsed time. Anywhere else
//! it is hidden and writes nothing at all (no `\r`, no escape codes), so
//! pipelines and CI logs see only the final result. What a line shows (a
//! status, a stream name) goes through [`terminal_text::value`]: no control
//! character from the service reaches the terminal raw.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::terminal_text;

/// Whether stderr is a terminal that draws (`TERM` is not `dumb`): the
/// spinner, the fleet display and its summary table are shown only then.
pub fn for_people() -> bool {
    std::io::stderr().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// A spinner that clears itself when dropped (also on Ctrl-C, when the
/// waiting future is dropped).
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A spinner for waiting on `what`, visible only if stderr is a terminal
    /// (and `TERM` is not `dumb`).
    pub fn new(what: &str) -> Self {
        if !for_people() {
            return Self {
                bar: ProgressBar::hidden(),
            };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {prefix} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_prefix(terminal_text::value(what));
        bar.enable_steady_tick(Duration::from_millis(120));
        Self { bar }
    }

    /// A spinner that draws nothing.
    pub fn hidden() -> Self {
        Self {
            bar: ProgressBar::hidden(),
        }
    }

    /// A spinner line `{prefix}: {status}` of a multi-line display (which
    /// decides whether anything is drawn).
    pub fn line_of(multi: &MultiProgress, prefix: &str, status: &str) -> Self {
        let bar = multi.add(ProgressBar::new_spinner());
        if let Ok(style) = ProgressStyle::with_template("  {spinner} {prefix}: {msg}") {
            bar.set_style(style);
        }
        bar.set_prefix(terminal_text::value(prefix));
        bar.set_message(terminal_text::value(status));
        bar.enable_steady_tick(Duration::from_millis(120));
        Self { bar }
    }

    /// Show the latest status.
    pub fn set_status(&self, status: &str) {
        self.bar.set_message(terminal_text::value(status));
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
