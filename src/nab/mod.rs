//! `relais trends eval`: the production burst detector measured on labelled count series in the
//! Numenta Anomaly Benchmark layout. The detector sees each count once, in time order, with one
//! set of parameters for every series, as it would live.

pub mod load;
pub mod score;

use crate::domain::trends::{Detector, Params};
use chrono::{DateTime, Utc};
pub use load::{load_dir, EvalError, Series, Window};
pub use score::Score;
use std::path::Path;

/// One series' alerts and score.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRun {
    /// The series' file name.
    pub name: String,
    /// When the detector alerted, in time order.
    pub alerts: Vec<DateTime<Utc>>,
    /// How those alerts scored against the windows.
    pub score: Score,
}

/// The runs of every series.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// One run per series, in file-name order.
    pub series: Vec<SeriesRun>,
}

impl Evaluation {
    /// The score of all series together.
    pub fn overall(&self) -> Score {
        Score::total(self.series.iter().map(|s| &s.score))
    }

    /// The report: one line per series, then the overall line.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for s in &self.series {
            out.push_str(&score::series_line(&s.name, &s.score));
            out.push('\n');
        }
        out.push_str(&self.overall().overall_line());
        out.push('\n');
        out
    }

    /// Every alert as CSV `series,timestamp` (with that header), in the series' timestamp format.
    pub fn alerts_csv(&self) -> String {
        let mut out = String::from("series,timestamp\n");
        for s in &self.series {
            for at in &s.alerts {
                out.push_str(&format!("{},{}\n", s.name, at.format("%Y-%m-%d %H:%M:%S")));
            }
        }
        out
    }
}

/// Run a fresh detector with `params` over each series and score its alerts.
pub fn evaluate(series: &[Series], params: &Params) -> Evaluation {
    let series = series
        .iter()
        .map(|s| {
            let mut detector = Detector::new(params.clone(), 1);
            let alerts: Vec<DateTime<Utc>> = s
                .points
                .iter()
                .filter_map(|&(at, count)| detector.observe(&s.name, at, count).map(|a| a.at))
                .collect();
            let (first, last) = match (s.points.first(), s.points.last()) {
                (Some(first), Some(last)) => (first.0, last.0),
                _ => (DateTime::UNIX_EPOCH, DateTime::UNIX_EPOCH),
            };
            let score = Score::of(&alerts, &s.windows, first, last);
            SeriesRun {
                name: s.name.clone(),
                alerts,
                score,
            }
        })
        .collect();
    Evaluation { series }
}

/// Load the folder `dir` and evaluate the production parameters on it.
pub fn evaluate_dir(dir: &Path) -> Result<Evaluation, EvalError> {
    Ok(evaluate(&load_dir(dir)?, &Params::default()))
}

#[cfg(test)]
mod tests;
