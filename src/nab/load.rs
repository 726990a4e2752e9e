//! Reading a folder in the Numenta Anomaly Benchmark layout: `timestamp,value` CSV files and a
//! `labels.json` mapping each file name to its `[start, end]` windows. Every problem names its file
//! (and line).

use chrono::{DateTime, NaiveDateTime, Utc};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why a folder cannot be evaluated.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}:{line}: {reason}", path.display())]
    Csv { path: PathBuf, line: usize, reason: String },
    #[error("{}: {reason}", path.display())]
    Labels { path: PathBuf, reason: String },
    #[error("{}: has labels for {name}, which is not in the folder", path.display())]
    MissingSeries { path: PathBuf, name: String },
    #[error("{}: not listed in labels.json", path.display())]
    Unlabelled { path: PathBuf },
    #[error("{}: no CSV series", path.display())]
    NoSeries { path: PathBuf },
}

/// A labelled anomaly window (both ends included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First and last instant of the window.
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Window {
    /// Whether `at` falls inside the window.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at <= self.end
    }

    /// The middle of the window, where NAB centres the labelled event.
    pub fn midpoint(&self) -> DateTime<Utc> {
        self.start + (self.end - self.start) / 2
    }
}

/// One labelled series: its counts in time order and its windows.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The file name, e.g. `Twitter_volume_AAPL.csv`.
    pub name: String,
    /// (timestamp, count), timestamps strictly increasing.
    pub points: Vec<(DateTime<Utc>, u32)>,
    /// The labelled windows.
    pub windows: Vec<Window>,
}

/// The series of `dir`, by file name.
pub fn load_dir(dir: &Path) -> Result<Vec<Series>, EvalError> {
    let labels_path = dir.join("labels.json");
    let mut labels = parse_labels(&labels_path, &read(&labels_path)?)?;
    let entries = std::fs::read_dir(dir).map_err(|source| EvalError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| EvalError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".csv") {
            names.push(name);
        }
    }
    names.sort();
    let mut series = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let windows = labels
            .remove(&name)
            .ok_or_else(|| EvalError::Unlabelled { path: path.clone() })?;
        let points = parse_csv(&path, &read(&path)?)?;
        series.push(Series { name, points, windows });
    }
    if let Some(name) = labels.into_keys().next() {
        return Err(EvalError::MissingSeries {
            path: labels_path,
            name,
        });
    }
    if series.is_empty() {
        return Err(EvalError::NoSeries { path: dir.to_owned() });
    }
    Ok(series)
}

fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_owned(),
        source,
    })
}

/// A NAB timestamp, `2015-02-26 21:42:53` (UTC), with or without fractional seconds.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
}

/// The points of a `timestamp,value` file: a header, then one count per line, timestamps strictly
/// increasing. `path` only names the file in errors.
pub fn parse_csv(path: &Path, text: &str) -> Result<Vec<(DateTime<Utc>, u32)>, EvalError> {
    let bad = |line: usize, reason: String| EvalError::Csv {
        path: path.to_owned(),
        line,
        reason,
    };
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end_matches('\r')));
    match lines.next() {
        Some((_, header)) if header.trim_start_matches('\u{feff}').trim() == "timestamp,value" => {}
        _ => return Err(bad(1, "the first line must be the header `timestamp,value`".into())),
    }
    let mut points: Vec<(DateTime<Utc>, u32)> = Vec::new();
    for (n, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let (stamp, value) = line
            .split_once(',')
            .ok_or_else(|| bad(n, format!("expected `timestamp,value`, found `{line}`")))?;
        let at = parse_timestamp(stamp)
            .ok_or_else(|| bad(n, format!("`{stamp}` is not a timestamp like 2015-02-26 21:42:53")))?;
        let count = value
            .trim()
            .parse::<u32>()
            .map_err(|_| bad(n, format!("`{value}` is not a count (a whole number, 0 or more)")))?;
        if let Some(&(previous, _)) = points.last() {
            if at <= previous {
                return Err(bad(n, format!("`{stamp}` is not after the previous timestamp")));
            }
        }
        points.push((at, count));
    }
    if points.is_empty() {
        return Err(bad(1, "no data after the header".into()));
    }
    Ok(points)
}

/// The windows of each file named in `labels.json`. `path` only names the file in errors.
pub fn parse_labels(path: &Path, text: &str) -> Result<BTreeMap<String, Vec<Window>>, EvalError> {
    let bad = |reason: String| EvalError::Labels {
        path: path.to_owned(),
        reason,
    };
    let raw: BTreeMap<String, Vec<(String, String)>> = serde_json::from_str(text).map_err(|e| {
        bad(format!(
            "line {} column {}: expected {{\"file.csv\": [[start, end], …]}}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let mut labels = BTreeMap::new();
    for (name, pairs) in raw {
        let mut windows = Vec::new();
        for (start, end) in pairs {
            let stamp = |s: &str| parse_timestamp(s).ok_or_else(|| bad(format!("{name}: `{s}` is not a timestamp")));
            let window = Window {
                start: stamp(&start)?,
                end: stamp(&end)?,
            };
            if window.end < window.start {
                return Err(bad(format!("{name}: the window {start} – {end} ends before it starts")));
            }
            windows.push(window);
        }
        labels.insert(name, windows);
    }
    Ok(labels)
}
