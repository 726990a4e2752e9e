//! Issue 17: counts in the repository's prompts follow each language's plural rule, through
//! `plural(n, one, other)`, and no template spells a plural by hand.

use super::{Prompts, CATALOG};
use crate::domain::Lang;
use serde_json::json;
use std::fs;
use std::path::{Path, PathBuf};

/// The catalog sample of `key` with `changes` merged in (top-level fields).
fn sample_with(key: &str, changes: serde_json::Value) -> serde_json::Value {
    let entry = CATALOG
        .iter()
        .find(|e| e.key == key)
        .unwrap_or_else(|| panic!("{key} not in the catalog"));
    let mut sample: serde_json::Value = serde_json::from_str(entry.sample).unwrap_or_else(|e| panic!("{key}: {e}"));
    if let (Some(map), Some(more)) = (sample.as_object_mut(), changes.as_object()) {
        map.extend(more.clone());
    }
    sample
}

/// Issue 17: every count takes the singular or plural its language asks for ("1 reshare", and in
/// French "0 partage"), through the prompts' `plural` function.
#[test]
fn issue17_counts_follow_each_languages_plural_rules() {
    let prompts = Prompts::for_tests();
    let one_row = |reshares: i64| json!({"count": 1, "rows": [{"name": "A", "coordinator": false, "lang": "fr", "tz": "UTC", "points": 1, "reshares": reshares, "last": null, "hidden": false, "accounts": []}]});
    let rows: Vec<(Lang, &str, serde_json::Value, &str)> = vec![
        (
            Lang::En,
            "me.summary",
            json!({"points": 1, "reshares": 1, "streak": 1}),
            "1 point from 1 reshare.\n🔥 Streak: 1 day ",
        ),
        (
            Lang::En,
            "me.summary",
            json!({"points": 0, "reshares": 0, "streak": 0}),
            "0 points from 0 reshares.",
        ),
        (
            Lang::Fr,
            "me.summary",
            json!({"points": 0, "reshares": 1, "streak": 0}),
            "0 point grâce à 1 partage.\n🔥 Série : 0 jour ",
        ),
        (
            Lang::Es,
            "me.summary",
            json!({"points": 1, "reshares": 1, "streak": 1}),
            "1 punto por 1 publicación compartida.\n🔥 Racha: 1 día ",
        ),
        (
            Lang::Ca,
            "me.summary",
            json!({"points": 2, "reshares": 1, "streak": 2}),
            "2 punts per 1 publicació compartida.\n🔥 Ratxa: 2 dies ",
        ),
        (
            Lang::En,
            "admin.ambassadors",
            one_row(1),
            "**1 person**\n- A · fr · UTC · 1 pts, 1 reshare ·",
        ),
        (
            Lang::Fr,
            "admin.ambassadors",
            one_row(0),
            "**1 personne**\n- A · fr · UTC · 1 pts, 0 partage ·",
        ),
        (
            Lang::Es,
            "admin.ambassadors",
            one_row(1),
            "**1 persona**\n- A · fr · UTC · 1 pts, 1 compartida ·",
        ),
        (Lang::En, "reshare.recorded", json!({"points": 1}), "+1 point for"),
        (Lang::En, "link.code", json!({"minutes": 1}), "(valid 1 minute)"),
        (Lang::Ca, "link.code", json!({"minutes": 1}), "(vàlid durant 1 minut)"),
        (Lang::En, "link.cancelled", json!({"tries": 1}), "linking code 1 time,"),
        (
            Lang::Fr,
            "privacy.forget_confirm",
            json!({"reshares": 0}),
            "et votre partage (",
        ),
        (
            Lang::En,
            "privacy.forget_confirm",
            json!({"reshares": 1}),
            "your 1 reshare for good",
        ),
        (
            Lang::Es,
            "schedule.skipped",
            json!({"actions": [], "nudges": 1, "undelivered_nudges": 0}),
            "- 1 recordatorio personal: perdido mientras",
        ),
    ];
    for (lang, key, changes, want) in rows {
        let text = prompts.render(lang, key, &sample_with(key, changes.clone()));
        assert!(text.contains(want), "{lang} {key} {changes}: want {want:?} in\n{text}");
    }
}

/// Issue 17: no template spells a plural by hand (`point{% if n != 1 %}s{% endif %}`), which is
/// how English rules leaked into other languages; `plural(n, one, other)` is the one way.
#[test]
fn issue17_no_template_spells_plurals_by_hand() {
    let hand_made = regex::Regex::new(r"\{%-? if [\w.]+(?: \| length)? (?:!= 1|> 1|== 1) -?%\}[^\s{]")
        .unwrap_or_else(|e| panic!("{e}"));
    for entry in walk(Path::new(super::REPO_PROMPTS_DIR)) {
        let text = fs::read_to_string(&entry).unwrap_or_else(|e| panic!("{}: {e}", entry.display()));
        for (n, line) in text.lines().enumerate() {
            let ordinal = line.contains("rank == 1 %}er");
            let comment = line.trim_start().starts_with('#');
            assert!(
                ordinal || comment || !hand_made.is_match(line),
                "{}:{}: {line}",
                entry.display(),
                n + 1
            );
        }
    }
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
