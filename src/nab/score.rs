//! Scoring alerts against labelled windows: a window is detected when an alert falls inside it, an
//! alert outside every window is a false alarm; the delay runs from the window's midpoint to its
//! first alert.

use super::load::Window;
use chrono::{DateTime, Utc};
use std::fmt;

/// Hours in a week.
const WEEK_HOURS: f64 = 7.0 * 24.0;

/// How one series (or all of them) scored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    /// Labelled windows, and how many had an alert inside.
    pub windows: usize,
    pub detected: usize,
    /// Alerts outside every window.
    pub false_alarms: usize,
    /// All alerts.
    pub alerts: usize,
    /// The length of the data, in weeks.
    pub weeks: f64,
    /// For each detected window, hours from its midpoint to its first alert (negative: before).
    pub delays: Vec<f64>,
}

impl Score {
    /// Score `alerts` (in time order) against `windows` over data spanning `first`..=`last`.
    pub fn of(alerts: &[DateTime<Utc>], windows: &[Window], first: DateTime<Utc>, last: DateTime<Utc>) -> Score {
        let mut delays = Vec::new();
        for window in windows {
            if let Some(at) = alerts.iter().find(|&&at| window.contains(at)) {
                delays.push(hours(*at - window.midpoint()));
            }
        }
        let false_alarms = alerts
            .iter()
            .filter(|&&at| !windows.iter().any(|w| w.contains(at)))
            .count();
        Score {
            windows: windows.len(),
            detected: delays.len(),
            false_alarms,
            alerts: alerts.len(),
            weeks: hours(last - first) / WEEK_HOURS,
            delays,
        }
    }

    /// The sum of several scores.
    pub fn total<'a>(scores: impl IntoIterator<Item = &'a Score>) -> Score {
        let mut total = Score::default();
        for s in scores {
            total.windows += s.windows;
            total.detected += s.detected;
            total.false_alarms += s.false_alarms;
            total.alerts += s.alerts;
            total.weeks += s.weeks;
            total.delays.extend(&s.delays);
        }
        total
    }

    /// False alarms per week of data (0 for no data).
    pub fn false_alarms_per_week(&self) -> f64 {
        if self.weeks > 0.0 {
            self.false_alarms as f64 / self.weeks
        } else {
            0.0
        }
    }

    /// The median delay in hours, if any window was detected.
    pub fn median_delay(&self) -> Option<f64> {
        let mut d = self.delays.clone();
        d.sort_by(f64::total_cmp);
        let n = d.len();
        match n {
            0 => None,
            _ if n % 2 == 1 => Some(d[n / 2]),
            _ => Some((d[n / 2 - 1] + d[n / 2]) / 2.0),
        }
    }

    /// The closing line: `overall: windows D/W, false alarms/week F, median delay H h`.
    pub fn overall_line(&self) -> String {
        format!(
            "overall: windows {}/{}, false alarms/week {:.2}, median delay {}",
            self.detected,
            self.windows,
            self.false_alarms_per_week(),
            Delay(self.median_delay())
        )
    }
}

fn hours(d: chrono::Duration) -> f64 {
    d.num_seconds() as f64 / 3600.0
}

/// A median delay, `1.5 h` or `none` when nothing was detected.
struct Delay(Option<f64>);

impl fmt::Display for Delay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(h) => write!(f, "{h:.1} h"),
            None => f.write_str("none"),
        }
    }
}

/// A series' line: `name: windows D/W, false alarms N (F/week), alerts A, median delay H h`.
pub fn series_line(name: &str, s: &Score) -> String {
    format!(
        "{name}: windows {}/{}, false alarms {} ({:.2}/week), alerts {}, median delay {}",
        s.detected,
        s.windows,
        s.false_alarms,
        s.false_alarms_per_week(),
        s.alerts,
        Delay(s.median_delay())
    )
}
