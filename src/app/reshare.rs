//! Claiming reshares: `shared URL [ITEM]` and quick claims by reaction, scored and de-duplicated.

use super::context::{Ctx, Failure};
use super::Effect;
use crate::domain::link::{self, SharedUrl};
use crate::domain::scoring::award;
use crate::domain::{AmbassadorId, Item, ItemId, ItemStatus, Network, Reshare, ReshareSource, WeekKey};
use crate::store::{RecordOutcome, Store, StoreError};
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

fn record(
    ctx: &mut Ctx,
    item: Option<&Item>,
    shared: Option<SharedUrl>,
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
    let (url, network) = match shared {
        Some(s) => (Some(s.url), s.network),
        None => (None, Network::Other),
    };
    let dedup_key = match (&url, item) {
        (Some(u), _) => u.clone(),
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

fn already_counted(ctx: &Ctx, existing: &crate::domain::Reshare) -> Effect {
    let by_you = existing.ambassador == ctx.who.id;
    ctx.reply(
        "reshare.already_counted",
        json!({"by_you": by_you, "when": ctx.local_time(existing.at)}),
    )
}

fn react_done() -> Effect {
    Effect::React { emoji: "✅".into() }
}

#[cfg(test)]
mod tests {
    use crate::app::{App, Incoming, Settings};
    use crate::domain::{Identity, ItemId, Platform, RoomRef};
    use crate::prompts::Prompts;
    use crate::store::{MemoryStore, Store};
    use chrono::{TimeZone, Utc};

    fn message(who: &str, text: &str) -> Incoming {
        Incoming {
            from: Identity::new(Platform::Console, who),
            display_name: who.into(),
            room: RoomRef::new(Platform::Console, "team"),
            direct: false,
            text: text.into(),
        }
    }

    #[test]
    fn a_withdrawn_reaction_takes_its_quick_claim_back_unless_a_url_was_given() {
        let prompts = Prompts::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/prompts")))
            .expect("prompts")
            .prompts;
        let settings = Settings {
            coordinators: vec![Identity::new(Platform::Console, "carla")],
            ..Settings::default()
        };
        let store = MemoryStore::new();
        let app = App::new(&settings, &prompts, &store);
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().expect("time");
        for text in [
            "!post add\ntitle: A\nlink: https://example.org/a\ntext.en: a",
            "!post add\ntitle: B\nlink: https://example.org/b\ntext.en: b",
        ] {
            app.handle(&message("carla", text), now);
        }
        for id in ["c1", "c2"] {
            app.handle(&message("carla", &format!("!post approve {id}")), now);
        }
        let (c1, c2) = (ItemId(1), ItemId(2));
        app.claim_by_reaction(&message("bob", ""), c1, now);
        app.claim_by_reaction(&message("bob", ""), c2, now);
        app.handle(&message("bob", "!shared https://x.com/bob/status/42 c2"), now);
        let bob = store
            .ambassador_by_identity(&Identity::new(Platform::Console, "bob"))
            .expect("store")
            .expect("bob");
        assert_eq!(store.reshares_of(bob.id).expect("reshares").len(), 2);

        let rows = [
            ("bob", c1, 1, "the URL-less claim is withdrawn"),
            ("bob", c1, 1, "withdrawing twice does nothing"),
            ("bob", c2, 1, "a claim with a URL stays"),
            ("zoe", c2, 1, "a stranger withdraws nothing"),
        ];
        for (who, item, left, why) in rows {
            assert!(
                app.withdraw_reaction_claim(&message(who, ""), item).is_empty(),
                "{why}: no message"
            );
            assert_eq!(store.reshares_of(bob.id).expect("reshares").len(), left, "{why}");
        }
        assert!(
            store
                .ambassador_by_identity(&Identity::new(Platform::Console, "zoe"))
                .expect("store")
                .is_none(),
            "no profile for a stranger"
        );
        assert_eq!(store.stats(bob.id).expect("stats").reshares, 1);
    }
}
