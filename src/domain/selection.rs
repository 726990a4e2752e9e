//! Which items are "today's": approved, published, not expired; hot before evergreen, and one
//! evergreen item to fill a day without hot news.

use super::{Item, ItemKind, ItemStatus};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

/// Today's items at `now` in the organisation's zone `tz`: every approved hot item published on
/// or before today and not expired (newest publication first, then by id); if there is none, one
/// approved evergreen item published on or before today, rotating day by day. Never an expired,
/// draft or cancelled item.
pub fn todays_items(items: &[Item], now: DateTime<Utc>, tz: Tz) -> Vec<&Item> {
    let today = now.with_timezone(&tz).date_naive();
    let live = |i: &&Item| i.status == ItemStatus::Approved && i.publish <= today && !i.is_expired(now);
    let mut hot: Vec<&Item> = items
        .iter()
        .filter(live)
        .filter(|i| matches!(i.kind, ItemKind::Hot { .. }))
        .collect();
    if !hot.is_empty() {
        hot.sort_by(|a, b| b.publish.cmp(&a.publish).then(a.id.cmp(&b.id)));
        return hot;
    }
    let mut evergreen: Vec<&Item> = items
        .iter()
        .filter(live)
        .filter(|i| i.kind == ItemKind::Evergreen)
        .collect();
    evergreen.sort_by_key(|i| i.id);
    match evergreen.len() {
        0 => Vec::new(),
        n => vec![evergreen[day_number(today) % n]],
    }
}

fn day_number(date: NaiveDate) -> usize {
    usize::try_from(date.num_days_from_ce()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AmbassadorId, Intent, ItemId};
    use chrono::TimeZone;
    use std::collections::BTreeMap;

    fn item(id: u32, kind: ItemKind, status: ItemStatus, publish_day: u32) -> Item {
        Item {
            id: ItemId(id),
            title: format!("item {id}"),
            link: "https://example.org".into(),
            texts: BTreeMap::new(),
            captions: vec![],
            hashtags: vec![],
            campaign: None,
            intent: Intent::Awareness,
            kind,
            publish: NaiveDate::from_ymd_opt(2026, 11, publish_day).unwrap(),
            status,
            created_by: AmbassadorId(1),
            created_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
        }
    }

    fn hot_until(day: u32) -> ItemKind {
        ItemKind::Hot {
            expires: Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap(),
        }
    }

    fn ids(v: &[&Item]) -> Vec<u32> {
        v.iter().map(|i| i.id.0).collect()
    }

    #[test]
    fn hot_before_evergreen_and_never_expired_drafts_or_future_items() {
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
        let items = vec![
            item(1, ItemKind::Evergreen, ItemStatus::Approved, 1),
            item(2, hot_until(21), ItemStatus::Approved, 19),
            item(3, hot_until(25), ItemStatus::Approved, 20),
            item(4, hot_until(20), ItemStatus::Approved, 18), // expired at noon, still before: live
            item(5, hot_until(19), ItemStatus::Approved, 18), // expired
            item(6, hot_until(30), ItemStatus::Draft, 20),
            item(7, hot_until(30), ItemStatus::Cancelled, 20),
            item(8, hot_until(30), ItemStatus::Approved, 21), // tomorrow
        ];
        assert_eq!(ids(&todays_items(&items, now, chrono_tz::Europe::Paris)), vec![3, 2, 4]);
        let later = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
        assert_eq!(ids(&todays_items(&items, later, chrono_tz::Europe::Paris)), vec![8, 3]);
    }

    #[test]
    fn evergreen_fills_an_empty_day_and_rotates() {
        let items = vec![
            item(1, ItemKind::Evergreen, ItemStatus::Approved, 1),
            item(2, ItemKind::Evergreen, ItemStatus::Approved, 1),
            item(3, hot_until(2), ItemStatus::Approved, 1),
        ];
        let day = |d| Utc.with_ymd_and_hms(2026, 11, d, 9, 0, 0).unwrap();
        let a = todays_items(&items, day(20), chrono_tz::UTC);
        let b = todays_items(&items, day(21), chrono_tz::UTC);
        assert_eq!((a.len(), b.len()), (1, 1));
        assert_ne!(a[0].id, b[0].id);
        assert!(todays_items(&[], day(20), chrono_tz::UTC).is_empty());
    }
}
