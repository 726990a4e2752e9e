//! Coordinators' people commands: `ambassadors` and `role grant|revoke USER`.

use super::context::{Ctx, Failure};
use super::Effect;
use crate::domain::{Ambassador, Identity, Platform, Role};
use serde_json::{json, Value};

/// `ambassadors`: everyone, with role, language, zone, points and last reshare.
pub fn ambassadors(ctx: &mut Ctx) -> Result<Vec<Effect>, Failure> {
    let store = ctx.app.store;
    let mut rows: Vec<Value> = Vec::new();
    for a in store.ambassadors()? {
        let stats = store.stats(a.id)?;
        rows.push(json!({
            "name": a.display_name,
            "coordinator": is_coordinator(ctx, &a),
            "lang": a.lang.code(),
            "tz": a.tz,
            "points": stats.points,
            "reshares": stats.reshares,
            "last": stats.last_day.map(|d| d.to_string()),
            "hidden": a.prefs.hidden,
            "platforms": a.identities.iter().map(|i| i.platform.as_str()).collect::<Vec<_>>(),
        }));
    }
    Ok(vec![ctx.reply(
        "admin.ambassadors",
        json!({"rows": rows, "count": rows.len()}),
    )])
}

fn is_coordinator(ctx: &Ctx, a: &Ambassador) -> bool {
    a.role == Role::Coordinator || a.identities.iter().any(|i| ctx.app.settings.coordinators.contains(i))
}

/// `role grant|revoke USER`.
pub fn role(ctx: &mut Ctx, grant: bool, user: &str) -> Result<Vec<Effect>, Failure> {
    let mut target = find_person(ctx, user)?;
    let by_config = target
        .identities
        .iter()
        .any(|i| ctx.app.settings.coordinators.contains(i));
    if !grant && by_config {
        return Err(Failure::user(
            "admin.coordinator_by_config",
            json!({"name": target.display_name}),
        ));
    }
    let wanted = if grant { Role::Coordinator } else { Role::Ambassador };
    if target.role == wanted {
        return Err(Failure::user(
            "admin.role_unchanged",
            json!({"name": target.display_name, "coordinator": grant}),
        ));
    }
    target.role = wanted;
    ctx.app.store.put_ambassador(&target)?;
    tracing::info!(target = %target.id, by = %ctx.who.id, coordinator = grant, "role changed");
    if target.id == ctx.who.id {
        ctx.who.role = wanted;
    }
    Ok(vec![ctx.reply(
        "admin.role_changed",
        json!({"name": target.display_name, "coordinator": grant}),
    )])
}

/// Finds a person by a mention or id on the sender's platform, else by unique display name.
fn find_person(ctx: &Ctx, user: &str) -> Result<Ambassador, Failure> {
    let store = ctx.app.store;
    let platform = ctx.msg.from.platform;
    let id = user_id(platform, user);
    if let Some(a) = store.ambassador_by_identity(&Identity::new(platform, id.clone()))? {
        return Ok(a);
    }
    let wanted = user.trim().trim_start_matches('@').to_lowercase();
    let matches: Vec<Ambassador> = store
        .ambassadors()?
        .into_iter()
        .filter(|a| a.display_name.to_lowercase() == wanted)
        .collect();
    let count = matches.len();
    let mut found = matches.into_iter();
    match (found.next(), count) {
        (Some(a), 1) => Ok(a),
        (_, 0) => Err(Failure::user("admin.unknown_person", json!({"user": user}))),
        _ => Err(Failure::user(
            "admin.ambiguous_person",
            json!({"user": user, "count": count}),
        )),
    }
}

/// The platform user id in a mention: `<@123>` / `<@!123>` on Discord, as typed elsewhere.
fn user_id(platform: Platform, user: &str) -> String {
    let t = user.trim();
    match platform {
        Platform::Discord => t
            .trim_start_matches("<@")
            .trim_start_matches('!')
            .trim_end_matches('>')
            .to_string(),
        _ => t.to_string(),
    }
}
