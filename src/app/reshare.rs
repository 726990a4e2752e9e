//! Claiming reshares: `shared URL [ITEM]` and quick claims by reaction, scored and de-duplicated.
//!
//! What counts once: a post (every spelling of it, by anyone: its key is the post's identity on
//! its network), and for each person, an item once per network. A claim by reaction names no
//! network: it counts only as the person's first claim of the item, and a link given after it
//! is attached to it. A second claim of an item on the same network is answered with the first
//! one's date and not counted.

use super::context::{Ctx, Failure};
use super::Effect;
use crate::domain::link::{self, SharedUrl};
use crate::domain::scoring::award;
use crate::domain::{AmbassadorId, Item, ItemId, ItemStatus, Network, Reshare, ReshareSource, WeekKey};
use crate::store::{RecordOutcome, Store, StoreError};
use serde_json::json;

/// `shared URL [ITEM]`.
pub fn shared(ctx: &mut Ctx, raw_url: &str, item_id: Option<ItemId>) -> Result<Vec<Effect>, Failure> {
    let shared = link::normalise(raw_url).map_err(|e| {
        Failure::user(
            "reshare.bad_url",
            json!({"url": raw_url, "reason": e.key(), "host": e.host()}),
        )
    })?;
    let item = item_id.map(|id| claimable_item(ctx, id)).transpose()?;
    learn_mastodon_instance(ctx, &shared)?;
    let store = ctx.app.store;
    for key in [&shared.post, &shared.url] {
        if let Some(existing) = store.reshare_by_key(key)? {
            return Ok(vec![already_counted(ctx, &existing)]);
        }
    }
    let Some(item) = item else {
        return record(ctx, None, Some(shared), Vec::new(), ReshareSource::Command);
    };
    let claim_key = Reshare::claim_key(ctx.who.id, item.id, shared.network);
    if let Some(existing) = store.reshare_by_key(&claim_key)? {
        return Ok(vec![already_on_network(ctx, &existing)]);
    }
    let quick = Reshare::quick_key(ctx.who.id, item.id);
    match store.reshare_by_key(&quick)? {
        Some(claim) if claim.url.is_none() => {
            let keys = vec![shared.post.clone(), claim_key];
            let updated = store.attach_url(claim.id, &shared.url, shared.network, &keys)?;
            let vars = json!({"item": item.id.to_string(), "network": updated.network.name()});
            Ok(vec![ctx.reply("reshare.url_attached", vars), react_done()])
        }
        Some(_) => record(ctx, Some(&item), Some(shared), vec![claim_key], ReshareSource::Command),
        None => {
            let keys = vec![claim_key, quick];
            record(ctx, Some(&item), Some(shared), keys, ReshareSource::Command)
        }
    }
}

/// A reaction on a push message: counts once per ambassador and item, without a URL.
pub fn quick_claim(ctx: &mut Ctx, item_id: ItemId) -> Result<Vec<Effect>, Failure> {
    let item = claimable_item(ctx, item_id)?;
    if let Some(existing) = ctx.app.store.reshare_by_key(&Reshare::quick_key(ctx.who.id, item.id))? {
        return Ok(vec![already_counted(ctx, &existing)]);
    }
    record(ctx, Some(&item), None, Vec::new(), ReshareSource::Reaction)
}

/// A reaction that made a quick claim was taken back: the claim is withdrawn (points and count
/// with it) unless a URL was attached to it since. Returns whether a claim was withdrawn.
pub fn withdraw_quick_claim(store: &dyn Store, who: AmbassadorId, item: ItemId) -> Result<bool, StoreError> {
    let Some(claim) = store.reshare_by_key(&Reshare::quick_key(who, item))? else {
        return Ok(false);
    };
    if claim.url.is_some() {
        return Ok(false);
    }
    let withdrawn = store.withdraw_reshare(claim.id)?.is_some();
    if withdrawn {
        tracing::info!(ambassador = %who, item = %item, reshare = claim.id, "quick claim withdrawn");
    }
    Ok(withdrawn)
}

/// Scores and records a claim: with a link, its dedup key is the post's key; without, the
/// person's quick key for the item. `keys` are its further keys.
fn record(
    ctx: &mut Ctx,
    item: Option<&Item>,
    shared: Option<SharedUrl>,
    keys: Vec<String>,
    source: ReshareSource,
) -> Result<Vec<Effect>, Failure> {
    let store = ctx.app.store;
    let before = store.stats(ctx.who.id)?;
    let got = award(
        &ctx.app.settings.points,
        &before,
        ctx.today_local(),
        ctx.today_org(),
        item.map(|i| i.publish),
    );
    let (url, network, post) = match shared {
        Some(s) => (Some(s.url), s.network, Some(s.post)),
        None => (None, Network::Other, None),
    };
    let dedup_key = match (post, item) {
        (Some(post), _) => post,
        (None, Some(i)) => Reshare::quick_key(ctx.who.id, i.id),
        (None, None) => {
            return Err(Failure::user(
                "reshare.bad_url",
                json!({"url": "", "reason": "not_a_url"}),
            ))
        }
    };
    let reshare = Reshare {
        id: 0,
        ambassador: ctx.who.id,
        item: item.map(|i| i.id),
        network,
        url,
        dedup_key,
        keys,
        source,
        at: ctx.now,
        points: got.points,
        week: WeekKey::of(ctx.now, ctx.app.settings.org_tz),
    };
    match store.record_reshare(reshare, &got.stats)? {
        RecordOutcome::AlreadyCounted(existing) => Ok(vec![already_counted(ctx, &existing)]),
        RecordOutcome::Recorded(r) => {
            let week_points = store
                .week_totals(r.week)?
                .into_iter()
                .find(|(id, _)| *id == ctx.who.id)
                .map(|(_, t)| t.points)
                .unwrap_or(u64::from(r.points));
            tracing::info!(ambassador = %ctx.who.id, reshare = r.id, network = r.network.key(), "reshare recorded");
            let vars = json!({
                "points": r.points,
                "item": r.item.map(|i| i.to_string()),
                "network": if r.url.is_some() { Some(r.network.name()) } else { None },
                "same_day": got.same_day,
                "streak_bonus": got.streak_bonus,
                "streak": got.stats.streak,
                "week_points": week_points,
            });
            Ok(vec![ctx.reply("reshare.recorded", vars), react_done()])
        }
    }
}

/// The item a claim names: it must exist and be approved (expired items still count: late is
/// better than never).
fn claimable_item(ctx: &Ctx, id: ItemId) -> Result<Item, Failure> {
    match ctx.app.store.item(id)? {
        None => Err(Failure::user("item.unknown", json!({"item": id.to_string()}))),
        Some(item) if item.status != ItemStatus::Approved => Err(Failure::user(
            "reshare.item_not_open",
            json!({"item": id.to_string(), "status": item.status.key()}),
        )),
        Some(item) => Ok(item),
    }
}

/// Remembers the ambassador's Mastodon instance the first time they claim a Mastodon post.
fn learn_mastodon_instance(ctx: &mut Ctx, shared: &SharedUrl) -> Result<(), Failure> {
    if ctx.who.prefs.mastodon_instance.is_none() {
        if let Some(host) = &shared.mastodon_instance {
            ctx.who.prefs.mastodon_instance = Some(host.clone());
            ctx.save()?;
        }
    }
    Ok(())
}

/// The answer to a claim of a post that is already counted (by the sender or by someone else).
fn already_counted(ctx: &Ctx, existing: &Reshare) -> Effect {
    let by_you = existing.ambassador == ctx.who.id;
    ctx.reply(
        "reshare.already_counted",
        json!({"by_you": by_you, "when": ctx.local_time(existing.at)}),
    )
}

/// The answer to a second claim of an item on the same network: not counted.
fn already_on_network(ctx: &Ctx, existing: &Reshare) -> Effect {
    ctx.reply(
        "reshare.already_on_network",
        json!({
            "item": existing.item.map(|i| i.to_string()),
            "network": existing.network.name(),
            "when": ctx.local_time(existing.at),
        }),
    )
}

fn react_done() -> Effect {
    Effect::React { emoji: "✅".into() }
}

#[cfg(test)]
mod tests;
