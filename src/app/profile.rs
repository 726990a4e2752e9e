//! Ambassador self-service: `me`, `lang`, `tz`, `nudges`, `away`, `hide`/`show`, `mastodon`.

use super::context::{Ctx, Failure};
use super::Effect;
use crate::command::NudgeSetting;
use crate::domain::{leaderboard, Lang, NudgePref, WeekKey};
use crate::prompts::markup;
use chrono::NaiveDate;
use serde_json::json;

/// `me`: points, streak, this week's rank and current settings.
pub fn me(ctx: &mut Ctx) -> Result<Vec<Effect>, Failure> {
    let store = ctx.app.store;
    let stats = store.stats(ctx.who.id)?;
    let week = WeekKey::of(ctx.now, ctx.app.settings.org_tz);
    let ranked = leaderboard::rank(store.week_totals(week)?);
    let mine = ranked.iter().find(|s| s.ambassador == ctx.who.id);
    let vars = json!({
        "name": ctx.who.display_name,
        "points": stats.points,
        "reshares": stats.reshares,
        "streak": current_streak(stats.streak, stats.last_day, ctx.today_local()),
        "best_streak": stats.best_streak,
        "week": week.to_string(),
        "week_points": mine.map(|s| s.total.points).unwrap_or(0),
        "rank": mine.map(|s| s.rank),
        "ranked": ranked.len(),
        "hidden": ctx.who.prefs.hidden,
        "lang": ctx.who.lang.native_name(),
        "tz": ctx.who.tz,
        "nudges": markup(nudge_text(ctx)),
        "away_until": ctx.who.prefs.away_until.map(|d| d.to_string()),
        "mastodon": ctx.who.prefs.mastodon_instance,
        "coordinator": ctx.is_coordinator(),
    });
    Ok(vec![ctx.reply("me.summary", vars)])
}

/// A streak only counts while it is alive: the last reshare was today or yesterday.
pub fn current_streak(streak: u32, last_day: Option<NaiveDate>, today: NaiveDate) -> u32 {
    match last_day {
        Some(d) if d == today || d.succ_opt() == Some(today) => streak,
        _ => 0,
    }
}

fn nudge_text(ctx: &Ctx) -> String {
    match ctx.who.prefs.nudges {
        NudgePref::Off => ctx.text("me.nudges_off", json!({})),
        NudgePref::On => ctx.app.settings.default_nudge_time.format("%H:%M").to_string(),
        NudgePref::At(t) => t.format("%H:%M").to_string(),
    }
}

pub fn set_lang(ctx: &mut Ctx, lang: Lang) -> Result<Vec<Effect>, Failure> {
    ctx.who.lang = lang;
    ctx.save()?;
    Ok(vec![ctx.reply(
        "lang.set",
        json!({"lang": lang.native_name(), "code": lang.code()}),
    )])
}

pub fn set_tz(ctx: &mut Ctx, zone: &str) -> Result<Vec<Effect>, Failure> {
    let tz: chrono_tz::Tz = zone
        .parse()
        .map_err(|_| Failure::user("tz.unknown", json!({"zone": zone})))?;
    ctx.who.tz = tz.name().to_string();
    ctx.save()?;
    let local = ctx.now.with_timezone(&tz).format("%H:%M").to_string();
    Ok(vec![
        ctx.reply("tz.set", json!({"zone": tz.name(), "local_time": local}))
    ])
}

/// `nudges on|off|HH:MM`; a time inside the quiet hours is refused, naming them.
pub fn set_nudges(ctx: &mut Ctx, setting: NudgeSetting) -> Result<Vec<Effect>, Failure> {
    let quiet = ctx.app.settings.schedule.quiet_hours;
    if let NudgeSetting::At(time) = setting {
        if quiet.contains(time) {
            let vars = json!({"time": time.format("%H:%M").to_string(), "quiet": quiet.to_string(), "prefix": ctx.app.settings.prefix});
            return Err(Failure::user("nudges.quiet_hours", vars));
        }
    }
    ctx.who.prefs.nudges = match setting {
        NudgeSetting::On => NudgePref::On,
        NudgeSetting::Off => NudgePref::Off,
        NudgeSetting::At(t) => NudgePref::At(t),
    };
    ctx.save()?;
    let (key, time) = match ctx.who.prefs.nudges {
        NudgePref::Off => ("nudges.off", None),
        NudgePref::On => ("nudges.on", Some(ctx.app.settings.default_nudge_time)),
        NudgePref::At(t) => ("nudges.on", Some(t)),
    };
    let vars = json!({"time": time.map(|t| t.format("%H:%M").to_string()), "tz": ctx.who.tz, "prefix": ctx.app.settings.prefix});
    Ok(vec![ctx.reply(key, vars)])
}

pub fn set_away(ctx: &mut Ctx, until: Option<NaiveDate>) -> Result<Vec<Effect>, Failure> {
    if let Some(date) = until {
        let today = ctx.today_local();
        if date < today {
            return Err(Failure::user(
                "away.in_past",
                json!({"date": date.to_string(), "today": today.to_string()}),
            ));
        }
    }
    ctx.who.prefs.away_until = until;
    ctx.save()?;
    Ok(vec![match until {
        Some(d) => ctx.reply("away.set", json!({"until": d.to_string()})),
        None => ctx.reply("away.off", json!({})),
    }])
}

pub fn set_hidden(ctx: &mut Ctx, hidden: bool) -> Result<Vec<Effect>, Failure> {
    ctx.who.prefs.hidden = hidden;
    ctx.save()?;
    Ok(vec![
        ctx.reply(if hidden { "board.hidden" } else { "board.shown" }, json!({}))
    ])
}

pub fn set_mastodon(ctx: &mut Ctx, instance: Option<String>) -> Result<Vec<Effect>, Failure> {
    ctx.who.prefs.mastodon_instance = instance.clone();
    ctx.save()?;
    Ok(vec![match instance {
        Some(host) => ctx.reply("mastodon.set", json!({"instance": host})),
        None => ctx.reply("mastodon.off", json!({})),
    }])
}
