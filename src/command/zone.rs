//! IANA time-zone names for `tz`: exact or case-insensitive lookup, and the closest name when unknown.

use super::suggest::{Word, MAX_CHARS};
use chrono_tz::{Tz, TZ_VARIANTS};
use std::sync::OnceLock;

/// Regions of canonical zone names, preferred on ties over legacy names like `US/Pacific`.
const REGIONS: &[&str] = &[
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
];

/// The canonical name of the zone `text` names (`europe/paris` → `Europe/Paris`), or the closest zone
/// name as a suggestion. Spaces count as underscores (`America/New York`).
pub(super) fn resolve(text: &str) -> Result<&'static str, Option<String>> {
    if let Ok(tz) = text.parse::<Tz>() {
        return Ok(tz.name());
    }
    if text.len() > MAX_CHARS || !text.is_ascii() {
        return Err(None);
    }
    let wanted: String = text
        .chars()
        .map(|c| if c == ' ' { '_' } else { c.to_ascii_lowercase() })
        .collect();
    let table = lower_names();
    match table.binary_search_by(|(name, _)| name.as_str().cmp(&wanted)) {
        Ok(i) => table.get(i).map(|(_, tz)| tz.name()).ok_or(None),
        Err(_) => Err(suggestion(&wanted)),
    }
}

/// Lower-cased zone names with their zone, sorted by name; built once.
fn lower_names() -> &'static [(String, Tz)] {
    static TABLE: OnceLock<Vec<(String, Tz)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<(String, Tz)> = TZ_VARIANTS
            .iter()
            .map(|tz| (tz.name().to_ascii_lowercase(), *tz))
            .collect();
        table.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        table
    })
}

/// The zone whose full name or city part is closest to `wanted` (lower case): within one edit for up to
/// four letters, two for up to eight, three beyond. Ties go to canonical regions, then alphabetical order.
fn suggestion(wanted: &str) -> Option<String> {
    let limit = match wanted.len() {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    let typed_len = wanted.len();
    let wanted = Word::new(wanted)?;
    let mut best: Option<(usize, bool, Tz)> = None;
    for (name, tz) in lower_names() {
        let city = name.rsplit('/').next().unwrap_or(name);
        let d = [name.as_str(), city]
            .into_iter()
            .filter(|candidate| candidate.len().abs_diff(typed_len) <= limit)
            .filter_map(|candidate| Word::new(candidate).and_then(|c| wanted.distance_within(&c, limit)))
            .min();
        let Some(d) = d else { continue };
        let legacy = !REGIONS.iter().any(|r| tz.name().split('/').next() == Some(*r));
        if best.is_none_or(|(bd, b_legacy, _)| (d, legacy) < (bd, b_legacy)) {
            best = Some((d, legacy, *tz));
        }
    }
    best.map(|(_, _, tz)| tz.name().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_resolve_to_their_canonical_name() {
        let rows: &[(&str, Result<&str, Option<&str>>)] = &[
            ("Europe/Paris", Ok("Europe/Paris")),
            ("europe/paris", Ok("Europe/Paris")),
            ("EUROPE/PARIS", Ok("Europe/Paris")),
            ("utc", Ok("UTC")),
            ("america/new york", Ok("America/New_York")),
            ("America/Argentina/Buenos_Aires", Ok("America/Argentina/Buenos_Aires")),
            ("Europe/Pari", Err(Some("Europe/Paris"))),
            ("Paris", Err(Some("Europe/Paris"))),
            ("paris", Err(Some("Europe/Paris"))),
            ("Berln", Err(Some("Europe/Berlin"))),
            ("New_York", Err(Some("America/New_York"))),
            ("Nowhere/Atlantis", Err(None)),
            ("xq", Err(None)),
            ("", Err(None)),
            ("Europe/Pärïs", Err(None)),
        ];
        for (text, want) in rows {
            let got = resolve(text);
            let got = got.as_ref().map(|s| *s).map_err(|e| e.as_deref());
            assert_eq!(got, *want, "{text:?}");
        }
        assert_eq!(resolve(&"a".repeat(10_000)), Err(None));
    }

    #[test]
    fn every_zone_resolves_to_itself_in_any_case() {
        for tz in TZ_VARIANTS {
            assert_eq!(resolve(tz.name()), Ok(tz.name()));
            assert_eq!(resolve(&tz.name().to_ascii_uppercase()), Ok(tz.name()), "{}", tz.name());
        }
    }
}
