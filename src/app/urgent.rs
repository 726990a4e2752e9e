//! Urgent pushes: `post push ITEM` (coordinators) posts an item to every team room now and sends it
//! by direct message to every ambassador who wants urgent messages; `urgent on|off` (everyone).
//!
//! An item is pushed urgently once per organisation day at most (the durable action
//! `urgent:<item>:<date>`), so a repeated command never messages everyone twice. Direct messages
//! skip whoever muted urgent messages, is away, or is in their quiet hours; the coordinator who
//! pushes gets the counts.

use super::context::{Ctx, Failure};
use super::today::{kit_vars, room_card};
use super::Effect;
use crate::domain::schedule::{is_away, ActionKey};
use crate::domain::{Item, ItemId, ItemStatus};
use crate::store::{ActionRecord, ActionState};
use serde_json::json;

/// Who got the direct message, and why the others did not.
#[derive(Debug, Default)]
struct Tally {
    sent: usize,
    muted: usize,
    away: usize,
    quiet: usize,
}

/// `post push ITEM`.
pub fn post_push(ctx: &mut Ctx, id: ItemId) -> Result<Vec<Effect>, Failure> {
    let item = ctx
        .app
        .store
        .item(id)?
        .ok_or_else(|| Failure::user("item.unknown", json!({"item": id.to_string()})))?;
    let expired = item.is_expired(ctx.now);
    if item.status != ItemStatus::Approved || expired {
        let vars = json!({"item": id.to_string(), "status": item.status.key(), "expired": expired});
        return Err(Failure::user("urgent.not_open", vars));
    }
    let action = ActionKey::Urgent {
        item: id,
        date: ctx.today_org(),
    };
    let key = action.to_string();
    if let Some(done) = ctx.app.store.action_state(&key)? {
        return Err(Failure::user(
            "urgent.already",
            json!({"item": id.to_string(), "when": ctx.local_time(done.at)}),
        ));
    }
    let mut effects = room_posts(ctx, &item, &action);
    let rooms = effects.len();
    let tally = direct_messages(ctx, &item, &action, &mut effects)?;
    let reason = format!("{rooms} rooms, {} direct messages", tally.sent);
    let record = ActionRecord {
        state: ActionState::Done,
        due: ctx.now,
        at: ctx.now,
        reason: Some(reason),
    };
    ctx.app.store.set_action_state(&key, &record)?;
    tracing::info!(item = %id, by = %ctx.who.id, rooms, dms = tally.sent, "urgent push");
    let vars = json!({
        "item": id.to_string(), "title": item.title, "rooms": rooms, "dms": tally.sent,
        "muted": tally.muted, "away": tally.away, "quiet": tally.quiet,
    });
    effects.push(ctx.reply("urgent.sent", vars));
    Ok(effects)
}

/// One post per team room, in the room's language.
fn room_posts(ctx: &Ctx, item: &Item, action: &ActionKey) -> Vec<Effect> {
    let app = ctx.app;
    app.rooms
        .served()
        .into_iter()
        .map(|(_, room)| room)
        .filter(|room| !room.coordinators_room)
        .map(|room| {
            let vars = json!({"org": app.settings.org_name, "prefix": app.settings.prefix, "item": room_card(app, item, room.lang, ctx.now)});
            Effect::Post {
                room: room.room.clone(),
                text: app.prompts.render(room.lang, "push.urgent", &vars),
                items: vec![item.id],
                key: action.part(&room.room),
            }
        })
        .collect()
}

/// A direct message with the share kit to everyone who wants urgent messages and can get one now.
fn direct_messages(ctx: &Ctx, item: &Item, action: &ActionKey, effects: &mut Vec<Effect>) -> Result<Tally, Failure> {
    let app = ctx.app;
    let quiet = app.settings.schedule.quiet_hours;
    let mut tally = Tally::default();
    for who in app.store.ambassadors()? {
        let tz = who.time_zone();
        if who.id == ctx.who.id {
            continue;
        } else if who.prefs.urgent_muted {
            tally.muted += 1;
        } else if is_away(who.prefs.away_until, ctx.now.with_timezone(&tz).date_naive()) {
            tally.away += 1;
        } else if quiet.contains_instant(ctx.now, tz) {
            tally.quiet += 1;
        } else {
            let vars = json!({"name": who.display_name, "org": app.settings.org_name, "prefix": app.settings.prefix, "item": kit_vars(app, item, &who, ctx.now)});
            let text = app.prompts.render(who.lang, "urgent.dm", &vars);
            effects.push(Effect::Dm {
                to: who.id,
                text,
                key: Some(action.part(who.id)),
            });
            tally.sent += 1;
        }
    }
    Ok(tally)
}

/// `urgent on|off`: `off` mutes the direct messages of urgent pushes.
pub fn set_urgent(ctx: &mut Ctx, on: bool) -> Result<Vec<Effect>, Failure> {
    ctx.who.prefs.urgent_muted = !on;
    ctx.save()?;
    let key = if on { "urgent.on" } else { "urgent.off" };
    Ok(vec![ctx.reply(key, json!({"prefix": ctx.app.settings.prefix}))])
}
