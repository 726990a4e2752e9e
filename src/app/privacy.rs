//! The ambassador's own data: `my-data` (see everything) and `forget-me` (erase everything).
//! (`link`, which joins accounts, is in `accounts`.)

use super::context::{Ctx, Failure};
use super::Effect;
use crate::domain::{NudgePref, Prefs};
use serde_json::json;

/// `my-data`: everything Relais keeps about the sender, sent privately.
pub fn my_data(ctx: &mut Ctx) -> Result<Vec<Effect>, Failure> {
    let store = ctx.app.store;
    let stats = store.stats(ctx.who.id)?;
    let reshares: Vec<_> = store
        .reshares_of(ctx.who.id)?
        .into_iter()
        .map(|r| {
            json!({
                "at": ctx.local_time(r.at),
                "item": r.item.map(|i| i.to_string()),
                "network": r.network.name(),
                "url": r.url,
                "points": r.points,
                "source": format!("{:?}", r.source).to_lowercase(),
            })
        })
        .collect();
    let wrong_link_codes: Vec<String> = store
        .link_failures(ctx.who.id, chrono::DateTime::<chrono::Utc>::MIN_UTC)?
        .into_iter()
        .map(|at| ctx.local_time(at))
        .collect();
    let who = &ctx.who;
    // Every preference by name (no `..`): a new one cannot be left out of the person's data.
    let Prefs {
        nudges,
        away_until,
        hidden,
        mastodon_instance,
        urgent_muted,
    } = &who.prefs;
    let (nudges, nudge_time) = match nudges {
        NudgePref::On => ("on", ctx.app.settings.default_nudge_time),
        NudgePref::Off => ("off", ctx.app.settings.default_nudge_time),
        NudgePref::At(time) => ("at", *time),
    };
    let prefs = json!({
        "nudges": nudges,
        "nudge_time": nudge_time.format("%H:%M").to_string(),
        "away_until": away_until.map(|d| d.to_string()),
        "hidden": hidden,
        "mastodon": mastodon_instance,
        "urgent_muted": urgent_muted,
    });
    let vars = json!({
        "name": who.display_name,
        "code": who.code,
        "identities": who.identities.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
        "lang": who.lang.code(),
        "tz": who.tz,
        "role": format!("{:?}", who.role).to_lowercase(),
        "joined": ctx.local_time(who.joined_at),
        "prefs": prefs,
        "points": stats.points,
        "streak": stats.streak,
        "best_streak": stats.best_streak,
        "wrong_link_codes": wrong_link_codes,
        "reshares": reshares,
        "prefix": ctx.app.settings.prefix,
    });
    let mut effects = vec![Effect::Dm {
        to: who.id,
        text: ctx.text("privacy.my_data", vars),
        key: None,
    }];
    if !ctx.msg.direct {
        effects.push(ctx.reply("privacy.sent_by_dm", json!({})));
    }
    Ok(effects)
}

/// `forget-me`: asks for confirmation; `forget-me confirm` erases the profile and its history.
pub fn forget_me(ctx: &mut Ctx, confirmed: bool) -> Result<Vec<Effect>, Failure> {
    if !confirmed {
        let reshares = ctx.app.store.stats(ctx.who.id)?.reshares;
        return Ok(vec![ctx.reply(
            "privacy.forget_confirm",
            json!({"reshares": reshares, "prefix": ctx.app.settings.prefix}),
        )]);
    }
    ctx.app.store.forget_ambassador(ctx.who.id)?;
    tracing::info!(ambassador = %ctx.who.id, "ambassador forgotten on request");
    Ok(vec![
        Effect::Forgotten {
            identities: ctx.who.identities.clone(),
        },
        ctx.reply("privacy.forgotten", json!({})),
    ])
}
