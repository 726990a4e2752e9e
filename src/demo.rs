//! Seeds the console demo from the `[demo]` section of a configuration: people, posts and a few
//! reshares, all through the same store and scoring rules as real use.

use crate::app::App;
use crate::config::{Demo, DemoItem, DemoKind};
use crate::domain::scoring::award;
use crate::domain::{
    Ambassador, AmbassadorId, Identity, Item, ItemKind, Platform, Prefs, Reshare, ReshareSource, WeekKey,
};
use crate::store::{RecordOutcome, StoreError};
use chrono::{DateTime, Days, Duration, Utc};

/// Seeds the store unless it already holds someone. Returns whether it seeded.
pub fn seed_if_empty(app: &App, demo: &Demo, now: DateTime<Utc>) -> Result<bool, StoreError> {
    if !app.store.ambassadors()?.is_empty() || !app.store.items()?.is_empty() {
        return Ok(false);
    }
    let mut people = Vec::new();
    for person in &demo.ambassadors {
        let id = app.store.next_ambassador_id()?;
        let who = Ambassador {
            id,
            code: crate::app::pseudonym_code(id, now),
            display_name: person.display_name.clone().unwrap_or_else(|| person.name.clone()),
            identities: vec![Identity::new(Platform::Console, person.name.clone())],
            lang: person.language.unwrap_or(app.settings.default_lang),
            tz: person.time_zone.unwrap_or(app.settings.org_tz).name().to_string(),
            role: person.role,
            prefs: Prefs {
                mastodon_instance: person.mastodon_instance.clone(),
                ..Prefs::default()
            },
            joined_at: now - Duration::days(30),
        };
        app.store.put_ambassador(&who)?;
        people.push((person.name.clone(), who));
    }
    let creator = people.first().map(|(_, a)| a.id).unwrap_or(AmbassadorId(0));
    let mut items = Vec::new();
    for seed in &demo.items {
        let item = demo_item(app, seed, app.store.next_item_id()?, creator, now);
        app.store.put_item(&item)?;
        items.push(item);
    }
    for r in &demo.reshares {
        let Some((_, who)) = people.iter().find(|(name, _)| *name == r.ambassador) else {
            continue;
        };
        let item = r.item.and_then(|n| items.get(n.wrapping_sub(1)));
        record_seed_reshare(app, who, item, &r.url, now - Duration::days(i64::from(r.days_ago)))?;
    }
    tracing::info!(people = people.len(), items = items.len(), "demo seeded");
    Ok(true)
}

fn demo_item(app: &App, seed: &DemoItem, id: crate::domain::ItemId, creator: AmbassadorId, now: DateTime<Utc>) -> Item {
    let today = now.with_timezone(&app.settings.org_tz).date_naive();
    let publish = if seed.publish_offset_days >= 0 {
        today.checked_add_days(Days::new(seed.publish_offset_days.unsigned_abs()))
    } else {
        today.checked_sub_days(Days::new(seed.publish_offset_days.unsigned_abs()))
    }
    .unwrap_or(today);
    let kind = match seed.kind {
        DemoKind::Evergreen => ItemKind::Evergreen,
        DemoKind::Hot => ItemKind::Hot {
            expires: now + Duration::hours(i64::from(seed.expires_in_hours.unwrap_or(48))),
        },
    };
    Item {
        id,
        title: seed.title.clone(),
        link: seed.link.clone(),
        texts: seed.texts.clone(),
        captions: seed.captions.clone(),
        hashtags: seed.hashtags.clone(),
        campaign: seed.campaign.clone(),
        intent: seed.intent,
        kind,
        publish,
        status: seed.status,
        created_by: creator,
        created_at: now - Duration::days(7),
    }
}

fn record_seed_reshare(
    app: &App,
    who: &Ambassador,
    item: Option<&Item>,
    url: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Ok(shared) = crate::domain::link::normalise(url) else {
        tracing::warn!(url, "demo reshare URL is not valid; skipped");
        return Ok(());
    };
    let before = app.store.stats(who.id)?;
    let today_local = at.with_timezone(&who.time_zone()).date_naive();
    let today_org = at.with_timezone(&app.settings.org_tz).date_naive();
    let got = award(
        &app.settings.points,
        &before,
        today_local,
        today_org,
        item.map(|i| i.publish),
    );
    let reshare = Reshare {
        id: 0,
        ambassador: who.id,
        item: item.map(|i| i.id),
        network: shared.network,
        keys: item
            .map(|i| vec![Reshare::claim_key(who.id, i.id, shared.network)])
            .unwrap_or_default(),
        dedup_key: shared.post,
        url: Some(shared.url),
        source: ReshareSource::Command,
        at,
        points: got.points,
        week: WeekKey::of(at, app.settings.org_tz),
    };
    if let RecordOutcome::AlreadyCounted(_) = app.store.record_reshare(reshare, &got.stats)? {
        tracing::warn!(url, "demo reshare listed twice; counted once");
    }
    Ok(())
}
