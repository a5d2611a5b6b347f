//! The `--wait` spinner: an indicatif spinner on stderr when stderr is a
//! terminal, showing the current status and the elapsed time. Anywhere else
//! it is hidden and writes nothing at all (no `\r`, no escape codes), so
//! pipelines and CI logs see only the final result.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

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
        let visible =
            std::io::stderr().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb");
        if !visible {
            return Self {
                bar: ProgressBar::hidden(),
            };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {prefix} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_prefix(what.to_owned());
        bar.enable_steady_tick(Duration::from_millis(120));
        Self { bar }
    }

    /// Show the latest status.
    pub fn set_status(&self, status: &str) {
        self.bar.set_message(status.to_owned());
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
