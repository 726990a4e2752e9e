//! The sled store's writes on ambassadors, items, reshares and link codes, each one transaction.
//! Callers hold the store's writer lock, so what is read before a transaction (sled
//! transactions cannot scan) is still true inside it.

use super::codec::{self, meta, tree};
use super::tx::{abort, dangling, io, Trees, Tx, TxError};
use crate::domain::{Ambassador, AmbassadorId, Item, Network, Reshare};
use crate::store::migrations::{add_to_total, latest_scoring_time, subtract_from_stats, subtract_from_total};
use crate::store::{
    keys_of, merged_keys, recent_failures, rename_key, replaced_keys, LinkCode, NewStats, RecordOutcome, StoreError,
};
use chrono::{DateTime, Utc};

pub fn put_ambassador(trees: &Trees, ambassador: &Ambassador) -> Result<(), StoreError> {
    let key = codec::ambassador_key(ambassador.id);
    trees.transact(|tx| {
        for identity in &ambassador.identities {
            if let Some(owner) = tx.identities.get(codec::identity_key(identity))? {
                if owner.as_ref() != key {
                    return Err(abort(StoreError::IdentityTaken(identity.to_string())));
                }
            }
        }
        if let Some(old) = tx.ambassador(ambassador.id)? {
            for identity in old.identities.iter().filter(|i| !ambassador.identities.contains(i)) {
                tx.identities.remove(codec::identity_key(identity))?;
            }
        }
        for identity in &ambassador.identities {
            tx.identities.insert(codec::identity_key(identity), &key)?;
        }
        Tx::put_json(tx.ambassadors, tree::AMBASSADORS, key, ambassador)?;
        tx.bump_counter(meta::LAST_AMBASSADOR_ID, ambassador.id.0)
    })
}

pub fn put_item(trees: &Trees, item: &Item) -> Result<(), StoreError> {
    trees.transact(|tx| {
        Tx::put_json(tx.items, tree::ITEMS, codec::item_key(item.id), item)?;
        tx.bump_counter(meta::LAST_ITEM_ID, u64::from(item.id.0))
    })
}

/// The value of index entries (the key says it all).
const EMPTY: &[u8] = &[];

/// Records one reshare inside a transaction (see `Store::record_reshare`).
pub fn record_in(tx: &Tx<'_>, reshare: &Reshare, new_stats: &NewStats<'_>) -> Result<RecordOutcome, TxError> {
    for key in keys_of(reshare) {
        if let Some(id) = tx.reshare_keys.get(key)? {
            let id = codec::decode_u64(tree::RESHARE_KEYS, &id).map_err(abort)?;
            let existing = tx.reshare(id)?.ok_or_else(|| abort(dangling(tree::RESHARE_KEYS, id)))?;
            return Ok(RecordOutcome::AlreadyCounted(existing));
        }
    }
    let owner = tx.ambassador(reshare.ambassador)?;
    let owner = owner.ok_or_else(|| abort(StoreError::NotFound(format!("ambassador {}", reshare.ambassador))))?;
    let id = tx.next_id(meta::LAST_RESHARE_ID)?;
    let stored = Reshare { id, ..reshare.clone() };
    let id_key = codec::id_key(id);
    Tx::put_json(tx.reshares, tree::RESHARES, id_key, &stored)?;
    for key in keys_of(&stored) {
        tx.reshare_keys.insert(key, &id_key)?;
    }
    tx.reshares_by_time.insert(&codec::time_key(stored.at, id), EMPTY)?;
    tx.reshares_by_ambassador
        .insert(&codec::ambassador_reshare_key(stored.ambassador, id), EMPTY)?;
    let stats = match new_stats {
        NewStats::Given(stats) => (*stats).clone(),
        NewStats::Folded => {
            let before = tx.stats(stored.ambassador)?;
            crate::store::migrations::fold_into_stats(&before, stored.points, stored.at, owner.time_zone())
        }
    };
    tx.put_stats(stored.ambassador, &stats)?;
    let mut total = tx.week_total(stored.week, stored.ambassador)?;
    add_to_total(&mut total, stored.points, stored.at);
    tx.put_week_total(stored.week, stored.ambassador, Some(&total))?;
    Ok(RecordOutcome::Recorded(stored))
}

pub fn attach_url(
    trees: &Trees,
    reshare_id: u64,
    url: &str,
    network: Network,
    keys: &[String],
) -> Result<Reshare, StoreError> {
    let new_keys = || std::iter::once(url).chain(keys.iter().map(String::as_str));
    trees.transact(|tx| {
        let Some(old) = tx.reshare(reshare_id)? else {
            return Err(abort(StoreError::NotFound(format!("reshare {reshare_id}"))));
        };
        let id_key = codec::id_key(reshare_id);
        for key in new_keys() {
            if tx.reshare_keys.get(key)?.is_some_and(|owner| owner.as_ref() != id_key) {
                return Err(abort(StoreError::KeyTaken(key.to_string())));
            }
        }
        for previous in replaced_keys(&old, url, keys) {
            tx.reshare_keys.remove(previous)?;
        }
        for key in new_keys() {
            tx.reshare_keys.insert(key, &id_key)?;
        }
        let updated = Reshare {
            url: Some(url.to_string()),
            network,
            keys: keys.to_vec(),
            ..old
        };
        Tx::put_json(tx.reshares, tree::RESHARES, id_key, &updated)?;
        Ok(updated)
    })
}

pub fn withdraw_reshare(trees: &Trees, reshare_id: u64) -> Result<Option<Reshare>, StoreError> {
    let Some(reshare) = trees.reshare(reshare_id)? else {
        return Ok(None);
    };
    let same_week: Vec<Reshare> = trees
        .reshares_of(reshare.ambassador)?
        .into_iter()
        .filter(|r| r.week == reshare.week && r.id != reshare_id)
        .collect();
    let reached_at = latest_scoring_time(&same_week);
    trees.transact(|tx| {
        remove_reshare_in(tx, &reshare)?;
        let mut stats = tx.stats(reshare.ambassador)?;
        subtract_from_stats(&mut stats, reshare.points);
        tx.put_stats(reshare.ambassador, &stats)?;
        let total = tx.week_total(reshare.week, reshare.ambassador)?;
        let left = subtract_from_total(total, reshare.points, reached_at);
        tx.put_week_total(reshare.week, reshare.ambassador, left.as_ref())
    })?;
    Ok(Some(reshare))
}

/// Removes a reshare, its indexes and those of its keys that point at it.
fn remove_reshare_in(tx: &Tx<'_>, reshare: &Reshare) -> Result<(), TxError> {
    let id_key = codec::id_key(reshare.id);
    tx.reshares.remove(&id_key)?;
    for key in keys_of(reshare) {
        if tx.reshare_keys.get(key)?.is_some_and(|owner| owner.as_ref() == id_key) {
            tx.reshare_keys.remove(key)?;
        }
    }
    tx.reshares_by_time.remove(&codec::time_key(reshare.at, reshare.id))?;
    tx.reshares_by_ambassador
        .remove(&codec::ambassador_reshare_key(reshare.ambassador, reshare.id))?;
    Ok(())
}

/// Keys of every entry of `tree` whose value is `ambassador`'s id (identities) or whose key ends
/// with it (week totals): scanned in full, so that nothing is missed.
fn keys_owned_by(tree: &sled::Tree, ambassador: AmbassadorId, by_value: bool) -> Result<Vec<sled::IVec>, StoreError> {
    let id = codec::ambassador_key(ambassador);
    let mut keys = Vec::new();
    for entry in tree.iter() {
        let (key, value) = entry.map_err(io)?;
        let owned = if by_value {
            value.as_ref() == id
        } else {
            key.ends_with(&id)
        };
        if owned {
            keys.push(key);
        }
    }
    Ok(keys)
}

/// Codes of `ambassador`'s pending link codes.
fn link_codes_of(trees: &Trees, ambassador: AmbassadorId) -> Result<Vec<sled::IVec>, StoreError> {
    let mut codes = Vec::new();
    for entry in trees.link_codes.iter() {
        let (code, value) = entry.map_err(io)?;
        let link: LinkCode = codec::from_json(tree::LINK_CODES, &value)?;
        if link.ambassador == ambassador {
            codes.push(code);
        }
    }
    Ok(codes)
}

pub fn forget_ambassador(trees: &Trees, id: AmbassadorId) -> Result<(), StoreError> {
    let reshares = trees.reshares_of(id)?;
    let identities = keys_owned_by(&trees.identities, id, true)?;
    let totals = keys_owned_by(&trees.week_totals, id, false)?;
    let codes = link_codes_of(trees, id)?;
    trees.transact(|tx| {
        tx.ambassadors.remove(&codec::ambassador_key(id))?;
        tx.stats.remove(&codec::ambassador_key(id))?;
        for reshare in &reshares {
            remove_reshare_in(tx, reshare)?;
        }
        for key in &identities {
            tx.identities.remove(key)?;
        }
        for key in &totals {
            tx.week_totals.remove(key)?;
        }
        for code in &codes {
            tx.link_codes.remove(code)?;
        }
        tx.link_failures.remove(&codec::ambassador_key(id))?;
        Ok(())
    })
}

pub fn merge_ambassadors(trees: &Trees, from: AmbassadorId, into: AmbassadorId) -> Result<(), StoreError> {
    if from == into {
        return Ok(());
    }
    let not_found = |id: AmbassadorId| StoreError::NotFound(format!("ambassador {id}"));
    let source = trees.ambassador(from)?.ok_or_else(|| not_found(from))?;
    let mut target = trees.ambassador(into)?.ok_or_else(|| not_found(into))?;
    for identity in &source.identities {
        if !target.identities.contains(identity) {
            target.identities.push(identity.clone());
        }
    }
    let reshares = trees.reshares_of(from)?;
    let totals = keys_owned_by(&trees.week_totals, from, false)?;
    let codes = link_codes_of(trees, from)?;
    let into_key = codec::ambassador_key(into);
    trees.transact(|tx| {
        tx.ambassadors.remove(&codec::ambassador_key(from))?;
        Tx::put_json(tx.ambassadors, tree::AMBASSADORS, into_key, &target)?;
        for identity in &target.identities {
            tx.identities.insert(codec::identity_key(identity), &into_key)?;
        }
        for reshare in &reshares {
            let mut moved = Reshare {
                ambassador: into,
                ..reshare.clone()
            };
            for (old, new) in merged_keys(reshare, from, into) {
                if tx.reshare_keys.get(new.as_bytes())?.is_none() {
                    tx.reshare_keys.remove(old.as_bytes())?;
                    tx.reshare_keys.insert(new.as_bytes(), &codec::id_key(reshare.id))?;
                    rename_key(&mut moved, &old, &new);
                }
            }
            Tx::put_json(tx.reshares, tree::RESHARES, codec::id_key(reshare.id), &moved)?;
            tx.reshares_by_ambassador
                .remove(&codec::ambassador_reshare_key(from, reshare.id))?;
            tx.reshares_by_ambassador
                .insert(&codec::ambassador_reshare_key(into, reshare.id), EMPTY)?;
        }
        let stats = crate::store::migrations::merge_stats(&tx.stats(from)?, &tx.stats(into)?);
        tx.stats.remove(&codec::ambassador_key(from))?;
        tx.put_stats(into, &stats)?;
        for key in &totals {
            merge_week_total_in(tx, key, into)?;
        }
        for code in &codes {
            tx.link_codes.remove(code)?;
        }
        tx.link_failures.remove(&codec::ambassador_key(from))?;
        Ok(())
    })
}

/// Adds the week total stored under `from_key` to `into`'s total of the same week and removes it.
fn merge_week_total_in(tx: &Tx<'_>, from_key: &[u8], into: AmbassadorId) -> Result<(), TxError> {
    let Some(bytes) = tx.week_totals.get(from_key)? else {
        return Ok(());
    };
    let moved = codec::decode_total(&bytes).map_err(abort)?;
    let week_bytes: [u8; 6] = from_key
        .get(..6)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| abort(codec::corrupt(tree::WEEK_TOTALS, "key too short")))?;
    let target_key = [&week_bytes[..], &codec::ambassador_key(into)[..]].concat();
    let existing = match tx.week_totals.get(&target_key)? {
        Some(bytes) => codec::decode_total(&bytes).map_err(abort)?,
        None => Default::default(),
    };
    let merged = crate::store::migrations::merge_totals(&existing, &moved);
    tx.week_totals.remove(from_key)?;
    tx.week_totals.insert(target_key, &codec::encode_total(&merged))?;
    Ok(())
}

pub fn put_link_code(trees: &Trees, code: &str, link: &LinkCode) -> Result<(), StoreError> {
    trees.transact(|tx| Tx::put_json(tx.link_codes, tree::LINK_CODES, code, link))
}

pub fn take_link_code(trees: &Trees, code: &str) -> Result<Option<LinkCode>, StoreError> {
    trees.transact(|tx| {
        let link = Tx::get_json(tx.link_codes, tree::LINK_CODES, code)?;
        tx.link_codes.remove(code)?;
        Ok(link)
    })
}

pub fn add_link_failure(
    trees: &Trees,
    who: AmbassadorId,
    at: DateTime<Utc>,
    since: DateTime<Utc>,
) -> Result<(), StoreError> {
    let key = codec::ambassador_key(who);
    trees.transact(|tx| {
        let before: Vec<DateTime<Utc>> = Tx::get_json(tx.link_failures, tree::LINK_FAILURES, key)?.unwrap_or_default();
        Tx::put_json(
            tx.link_failures,
            tree::LINK_FAILURES,
            key,
            &recent_failures(&before, at, since),
        )
    })
}

pub fn link_failures(trees: &Trees, who: AmbassadorId, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, StoreError> {
    let all: Vec<DateTime<Utc>> = trees
        .get_json(&trees.link_failures, tree::LINK_FAILURES, codec::ambassador_key(who))?
        .unwrap_or_default();
    Ok(all.into_iter().filter(|at| *at >= since).collect())
}
