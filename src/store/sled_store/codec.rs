//! How the sled store lays out its keys and values: tree names, big-endian keys that sort like
//! the values they encode, JSON records and the compact binary week total.

use crate::domain::reshare::WeekTotal;
use crate::domain::{AmbassadorId, Identity, ItemId, WeekKey};
use crate::store::StoreError;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Tree names (also used in `Corrupt` errors).
pub mod tree {
    pub const META: &str = "meta";
    pub const AMBASSADORS: &str = "ambassadors";
    pub const IDENTITIES: &str = "identities";
    pub const ITEMS: &str = "items";
    pub const RESHARES: &str = "reshares";
    pub const RESHARE_KEYS: &str = "reshare_keys";
    pub const RESHARES_BY_TIME: &str = "reshares_by_time";
    pub const RESHARES_BY_AMBASSADOR: &str = "reshares_by_ambassador";
    pub const STATS: &str = "stats";
    pub const WEEK_TOTALS: &str = "week_totals";
    pub const LINK_CODES: &str = "link_codes";
    /// Ambassador id → JSON list of the times they typed a wrong `link` code.
    pub const LINK_FAILURES: &str = "link_failures";
    pub const ACTIONS: &str = "actions";
    pub const ACTIONS_BY_DUE: &str = "actions_by_due";
    /// `platform:id` → JSON room record (see `rooms`).
    pub const ROOMS: &str = "rooms";
}

/// Keys of the `meta` tree.
pub mod meta {
    /// Big-endian `u32`.
    pub const SCHEMA_VERSION: &str = "schema_version";
    /// The last ids handed out, big-endian `u64` each.
    pub const LAST_AMBASSADOR_ID: &str = "last_ambassador_id";
    pub const LAST_ITEM_ID: &str = "last_item_id";
    pub const LAST_RESHARE_ID: &str = "last_reshare_id";
    /// Raised by every write transaction, big-endian `u64` (see [`crate::store::watermark`]).
    pub const GENERATION: &str = "generation";
}

/// Length of an encoded [`WeekTotal`].
pub const WEEK_TOTAL_LEN: usize = 29;

/// An ambassador or reshare id as a key.
pub fn id_key(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

pub fn ambassador_key(id: AmbassadorId) -> [u8; 8] {
    id_key(id.0)
}

pub fn item_key(id: ItemId) -> [u8; 4] {
    id.0.to_be_bytes()
}

/// `platform:user` (the platform name has no colon, so this is unambiguous).
pub fn identity_key(identity: &Identity) -> Vec<u8> {
    format!("{}:{}", identity.platform.as_str(), identity.user).into_bytes()
}

/// Milliseconds since the epoch with the sign bit flipped, so that keys sort chronologically.
pub fn millis_key(at: DateTime<Utc>) -> [u8; 8] {
    (at.timestamp_millis() as u64 ^ (1 << 63)).to_be_bytes()
}

/// `reshares_by_time`: at-millis ++ reshare id.
pub fn time_key(at: DateTime<Utc>, reshare_id: u64) -> [u8; 16] {
    concat(millis_key(at), id_key(reshare_id))
}

/// `reshares_by_ambassador`: ambassador id ++ reshare id.
pub fn ambassador_reshare_key(ambassador: AmbassadorId, reshare_id: u64) -> [u8; 16] {
    concat(ambassador_key(ambassador), id_key(reshare_id))
}

/// `week_totals`: week ++ ambassador id.
pub fn week_total_key(week: WeekKey, ambassador: AmbassadorId) -> [u8; 14] {
    let mut key = [0u8; 14];
    key[..6].copy_from_slice(&week.to_bytes());
    key[6..].copy_from_slice(&ambassador_key(ambassador));
    key
}

fn concat(a: [u8; 8], b: [u8; 8]) -> [u8; 16] {
    let mut key = [0u8; 16];
    key[..8].copy_from_slice(&a);
    key[8..].copy_from_slice(&b);
    key
}

/// The last 8 bytes of a composite key as an id (reshare id of the index keys, ambassador id of
/// a week total key).
pub fn trailing_id(tree: &'static str, key: &[u8]) -> Result<u64, StoreError> {
    let start = key.len().checked_sub(8).ok_or_else(|| corrupt(tree, "key too short"))?;
    decode_u64(tree, key.get(start..).unwrap_or_default())
}

pub fn decode_u64(tree: &'static str, bytes: &[u8]) -> Result<u64, StoreError> {
    let array: [u8; 8] = bytes.try_into().map_err(|_| corrupt(tree, "expected 8 bytes"))?;
    Ok(u64::from_be_bytes(array))
}

pub fn decode_u32(tree: &'static str, bytes: &[u8]) -> Result<u32, StoreError> {
    let array: [u8; 4] = bytes.try_into().map_err(|_| corrupt(tree, "expected 4 bytes"))?;
    Ok(u32::from_be_bytes(array))
}

/// points (u64 BE) ++ reshares (u64 BE) ++ has-reached_at (u8) ++ seconds (i64 BE) ++ nanos (u32 BE).
pub fn encode_total(total: &WeekTotal) -> [u8; WEEK_TOTAL_LEN] {
    let mut bytes = [0u8; WEEK_TOTAL_LEN];
    bytes[..8].copy_from_slice(&total.points.to_be_bytes());
    bytes[8..16].copy_from_slice(&total.reshares.to_be_bytes());
    if let Some(at) = total.reached_at {
        bytes[16] = 1;
        bytes[17..25].copy_from_slice(&at.timestamp().to_be_bytes());
        bytes[25..].copy_from_slice(&at.timestamp_subsec_nanos().to_be_bytes());
    }
    bytes
}

pub fn decode_total(bytes: &[u8]) -> Result<WeekTotal, StoreError> {
    let bytes: &[u8; WEEK_TOTAL_LEN] = bytes
        .try_into()
        .map_err(|_| corrupt(tree::WEEK_TOTALS, "week total has the wrong length"))?;
    let (points, rest) = bytes.split_at(8);
    let (reshares, rest) = rest.split_at(8);
    let (flag, rest) = rest.split_at(1);
    let (seconds, nanos) = rest.split_at(8);
    let reached_at = match flag {
        [0] => None,
        [1] => {
            let seconds = decode_u64(tree::WEEK_TOTALS, seconds)? as i64;
            let nanos = decode_u32(tree::WEEK_TOTALS, nanos)?;
            let at = DateTime::from_timestamp(seconds, nanos)
                .ok_or_else(|| corrupt(tree::WEEK_TOTALS, "reached_at out of range"))?;
            Some(at)
        }
        _ => return Err(corrupt(tree::WEEK_TOTALS, "bad reached_at flag")),
    };
    Ok(WeekTotal {
        points: decode_u64(tree::WEEK_TOTALS, points)?,
        reshares: decode_u64(tree::WEEK_TOTALS, reshares)?,
        reached_at,
    })
}

pub fn to_json<T: Serialize>(tree: &'static str, value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| corrupt(tree, &e.to_string()))
}

pub fn from_json<T: DeserializeOwned>(tree: &'static str, bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| corrupt(tree, &e.to_string()))
}

pub fn corrupt(tree: &'static str, reason: &str) -> StoreError {
    StoreError::Corrupt {
        tree,
        reason: reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn week_totals_round_trip() {
        let at = Utc.with_ymd_and_hms(2026, 11, 17, 9, 30, 0).unwrap() + chrono::Duration::nanoseconds(123_456_789);
        let rows = [
            WeekTotal::default(),
            WeekTotal {
                points: 15,
                reshares: 2,
                reached_at: Some(at),
            },
            WeekTotal {
                points: u64::MAX,
                reshares: 1,
                reached_at: Some(Utc.timestamp_opt(-5, 7).unwrap()),
            },
        ];
        for total in rows {
            assert_eq!(decode_total(&encode_total(&total)).ok(), Some(total), "{total:?}");
        }
        assert!(decode_total(&[0u8; 5]).is_err());
        let mut bad_flag = encode_total(&rows[1]);
        bad_flag[16] = 7;
        assert!(decode_total(&bad_flag).is_err());
    }

    #[test]
    fn time_keys_sort_chronologically_across_the_epoch() {
        let times = [
            Utc.timestamp_opt(-10, 0).unwrap(),
            Utc.timestamp_opt(0, 0).unwrap(),
            Utc.timestamp_opt(10, 0).unwrap(),
        ];
        let keys: Vec<_> = times.iter().map(|t| time_key(*t, 1)).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        assert_eq!(
            trailing_id(tree::RESHARES_BY_TIME, &time_key(times[1], 42)).ok(),
            Some(42)
        );
    }
}
