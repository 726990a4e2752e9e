//! The ambassador's own data: `my-data` (see everything) and `forget-me` (erase everything).
//! (`link`, which joins accounts, is in `accounts`.)

use super::context::{Ctx, Failure};
use super::Effect;
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
    let vars = json!({
        "name": who.display_name,
        "code": who.code,
        "identities": who.identities.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
        "lang": who.lang.code(),
        "tz": who.tz,
        "role": format!("{:?}", who.role).to_lowercase(),
        "joined": ctx.local_time(who.joined_at),
        "prefs": serde_json::to_value(&who.prefs).unwrap_or_default(),
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
