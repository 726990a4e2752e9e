//! Claiming reshares: `shared URL [ITEM]` and quick claims by reaction, scored and de-duplicated.

use super::context::{Ctx, Failure};
use super::Effect;
use crate::domain::link::{self, SharedUrl};
use crate::domain::scoring::award;
use crate::domain::{Item, ItemId, ItemStatus, Network, Reshare, ReshareSource, WeekKey};
use crate::store::RecordOutcome;
use serde_json::json;

/// `shared URL [ITEM]`.
pub fn shared(ctx: &mut Ctx, raw_url: &str, item_id: Option<ItemId>) -> Result<Vec<Effect>, Failure> {
    let shared = link::normalise(raw_url)
        .map_err(|e| Failure::user("reshare.bad_url", json!({"url": raw_url, "reason": e.key()})))?;
    let item = item_id.map(|id| claimable_item(ctx, id)).transpose()?;
    learn_mastodon_instance(ctx, &shared)?;
    let store = ctx.app.store;
    if let Some(existing) = store.reshare_by_key(&shared.url)? {
        return Ok(vec![already_counted(ctx, &existing)]);
    }
    if let Some(item) = &item {
        let quick = Reshare::quick_key(ctx.who.id, item.id);
        if let Some(claim) = store.reshare_by_key(&quick)?.filter(|r| r.url.is_none()) {
            let updated = store.attach_url(claim.id, &shared.url, shared.network)?;
            let vars = json!({"item": item.id.to_string(), "network": updated.network.name()});
            return Ok(vec![ctx.reply("reshare.url_attached", vars), react_done()]);
        }
    }
    record(ctx, item.as_ref(), Some(shared), ReshareSource::Command)
}

/// A reaction on a push message: counts once per ambassador and item, without a URL.
pub fn quick_claim(ctx: &mut Ctx, item_id: ItemId) -> Result<Vec<Effect>, Failure> {
    let item = claimable_item(ctx, item_id)?;
    if let Some(existing) = ctx.app.store.reshare_by_key(&Reshare::quick_key(ctx.who.id, item.id))? {
        return Ok(vec![already_counted(ctx, &existing)]);
    }
    record(ctx, Some(&item), None, ReshareSource::Reaction)
}

fn record(ctx: &mut Ctx, item: Option<&Item>, shared: Option<SharedUrl>, source: ReshareSource) -> Result<Vec<Effect>, Failure> {
    let store = ctx.app.store;
    let before = store.stats(ctx.who.id)?;
    let got = award(&ctx.app.settings.points, &before, ctx.today_local(), ctx.today_org(), item.map(|i| i.publish));
    let (url, network) = match shared {
        Some(s) => (Some(s.url), s.network),
        None => (None, Network::Other),
    };
    let dedup_key = match (&url, item) {
        (Some(u), _) => u.clone(),
        (None, Some(i)) => Reshare::quick_key(ctx.who.id, i.id),
        (None, None) => return Err(Failure::user("reshare.bad_url", json!({"url": "", "reason": "not_a_url"}))),
    };
    let reshare = Reshare {
        id: 0,
        ambassador: ctx.who.id,
        item: item.map(|i| i.id),
        network,
        url,
        dedup_key,
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
        Some(item) if item.status != ItemStatus::Approved => {
            Err(Failure::user("reshare.item_not_open", json!({"item": id.to_string(), "status": item.status.key()})))
        }
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

fn already_counted(ctx: &Ctx, existing: &crate::domain::Reshare) -> Effect {
    let by_you = existing.ambassador == ctx.who.id;
    ctx.reply("reshare.already_counted", json!({"by_you": by_you, "when": ctx.local_time(existing.at)}))
}

fn react_done() -> Effect {
    Effect::React { emoji: "✅".into() }
}
