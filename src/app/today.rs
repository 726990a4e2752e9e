//! Today's content: `today` (personal share kits) and the daily push to a room.

use super::context::{Ctx, Failure};
use super::{App, Effect};
use crate::domain::selection::todays_items;
use crate::domain::share_kit::{share_kit, tracked_link};
use crate::domain::{Ambassador, Item, ItemKind, Lang, RoomRef};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// `today`: each of today's items with the sender's personal share links.
pub fn today(ctx: &mut Ctx) -> Result<Vec<Effect>, Failure> {
    let items = ctx.app.store.items()?;
    let todays = todays_items(&items, ctx.now, ctx.app.settings.org_tz);
    if todays.is_empty() {
        return Ok(vec![ctx.reply("today.none", json!({}))]);
    }
    let cards: Vec<Value> = todays
        .iter()
        .map(|item| kit_vars(ctx.app, item, &ctx.who, ctx.now))
        .collect();
    let vars = json!({"date": ctx.today_org().to_string(), "items": cards, "prefix": ctx.app.settings.prefix});
    Ok(vec![ctx.reply("today.kits", vars)])
}

/// The template variables of one item's share kit for one ambassador.
pub fn kit_vars(app: &App, item: &Item, who: &Ambassador, now: DateTime<Utc>) -> Value {
    let kit = share_kit(item, who, app.settings.default_lang);
    let links: Vec<Value> = kit
        .links
        .iter()
        .map(|l| json!({"name": l.target.name(), "url": l.url}))
        .collect();
    json!({
        "id": item.id.to_string(),
        "title": item.title,
        "text": kit.text,
        "link": kit.tracked_link,
        "links": links,
        "campaign": item.campaign,
        "intent": item.intent.key(),
        "expires": expires_text(item, now, who.time_zone()),
    })
}

fn expires_text(item: &Item, now: DateTime<Utc>, tz: chrono_tz::Tz) -> Option<String> {
    match item.kind {
        ItemKind::Hot { expires } if expires > now => {
            Some(expires.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
        }
        _ => None,
    }
}

/// The daily push for `room` at `now`: one post with today's items in the room's language, or
/// nothing when there is nothing to push. The key makes the post idempotent per room and day.
pub fn daily_push(app: &App, room: &RoomRef, now: DateTime<Utc>) -> Result<Option<Effect>, crate::store::StoreError> {
    let lang = app.rooms.get(room).map(|r| r.lang).unwrap_or(app.settings.default_lang);
    let items = app.store.items()?;
    let todays = todays_items(&items, now, app.settings.org_tz);
    if todays.is_empty() {
        return Ok(None);
    }
    let date = now.with_timezone(&app.settings.org_tz).date_naive();
    let cards: Vec<Value> = todays.iter().map(|item| room_card(app, item, lang, now)).collect();
    let vars =
        json!({"date": date.to_string(), "org": app.settings.org_name, "items": cards, "prefix": app.settings.prefix});
    Ok(Some(Effect::Post {
        room: room.clone(),
        text: app.prompts.render(lang, "push.daily", &vars),
        items: todays.iter().map(|i| i.id).collect(),
        key: format!("push:{}:{}", room, date),
    }))
}

/// An item as shown in a room: its text in the room's language and the link tracked for the
/// room (no personal code: personal links come with `today` and nudges).
pub(super) fn room_card(app: &App, item: &Item, lang: Lang, now: DateTime<Utc>) -> Value {
    json!({
        "id": item.id.to_string(),
        "title": item.title,
        "text": item.text_for(lang, app.settings.default_lang),
        "link": tracked_link(&item.link, "chat", item.campaign.as_deref(), "team"),
        "hashtags": item.hashtags.iter().map(|h| format!("#{h}")).collect::<Vec<_>>().join(" "),
        "expires": expires_text(item, now, app.settings.org_tz),
    })
}
