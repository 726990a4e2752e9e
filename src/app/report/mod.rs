//! The coordinator report for a week: participation, reshares by network, item, campaign and
//! intent, campaign goals, inactive ambassadors and skipped scheduled actions, as a text, a CSV of
//! the week's reshares and a PNG chart.
//!
//! [`WeekData`] loads the week once (three store calls); the text ([`WeekData::summary`] rendered
//! with `report.week`), the CSV ([`WeekData::csv`]) and the chart ([`WeekData::chart_png`]) are
//! computed from it. [`report_effects`] is the weekly post for the scheduler; `report [WEEK]`
//! answers on demand.

mod chart;
mod csv;
mod data;
mod glyphs;
mod summary;
#[cfg(test)]
mod tests;

pub use chart::{per_day, value_axis, ChartError, ChartLabels, DayCounts, CHART_SIZE};
pub use csv::CSV_HEADER;
pub use data::{WeekData, INACTIVE_DAYS};
pub use summary::{
    campaign_progress, CampaignProgress, CampaignStatus, Count, WeekReport, INACTIVE_SHOWN, ITEMS_SHOWN,
};

use super::context::{Ctx, Failure};
use super::{App, Effect};
use crate::domain::{Lang, RoomRef, WeekKey};
use crate::store::StoreError;
use serde_json::json;

/// Builds the figures of `week`. `skipped` lists the scheduled actions the scheduler skipped
/// (shown when not empty).
pub fn week_report(app: &App, week: WeekKey, skipped: &[String]) -> Result<WeekReport, StoreError> {
    Ok(WeekData::load(app, week)?.summary(&app.settings.campaigns, skipped))
}

impl WeekData {
    /// The report's text in `lang`.
    pub fn text(&self, app: &App, lang: Lang, skipped: &[String]) -> String {
        render_text(app, lang, &self.summary(&app.settings.campaigns, skipped))
    }

    /// The chart's title and day names in `lang`.
    pub fn chart_labels(&self, app: &App, lang: Lang) -> ChartLabels {
        let title = app
            .prompts
            .render(lang, "report.chart_title", &json!({"week": self.week.to_string()}));
        let names = app.prompts.render(lang, "report.chart_days", &json!({}));
        let mut names = names.split(',').map(str::trim);
        let days = std::array::from_fn(|offset| {
            let date = self.week.monday() + chrono::Days::new(offset as u64);
            let name = names.next().unwrap_or_default();
            format!("{name} {}", date.format("%d"))
        });
        let empty = app.prompts.render(lang, "report.chart_empty", &json!({}));
        ChartLabels { title, days, empty }
    }
}

/// Renders `report` with the `report.week` prompt.
pub fn render_text(app: &App, lang: Lang, report: &WeekReport) -> String {
    let vars = serde_json::to_value(report).unwrap_or_default();
    app.prompts.render(lang, "report.week", &vars)
}

/// The weekly report for `room`: the text as a post (key `report:<room>:<week>`), then the chart
/// (`relais-<week>.png`) and the CSV (`relais-<week>.csv`) as uploads (keys with `:png`, `:csv`).
/// The text is in the room's language (else the organisation's). A chart that cannot be drawn is
/// logged and left out; the text and the CSV still go.
pub fn report_effects(app: &App, week: WeekKey, room: &RoomRef, skipped: &[String]) -> Result<Vec<Effect>, StoreError> {
    let data = WeekData::load(app, week)?;
    let lang = app.rooms.get(room).map_or(app.settings.default_lang, |r| r.lang);
    let key = format!("report:{room}:{week}");
    let text = data.text(app, lang, skipped);
    let mut effects = vec![Effect::Post {
        room: room.clone(),
        text,
        items: Vec::new(),
        key: key.clone(),
    }];
    effects.extend(file_effects(app, &data, lang, room, &key));
    Ok(effects)
}

/// The chart and CSV uploads of `data` to `room`, keyed from `key`.
fn file_effects(app: &App, data: &WeekData, lang: Lang, room: &RoomRef, key: &str) -> Vec<Effect> {
    let week = data.week;
    let upload = |extension: &str, mime: &str, bytes: Vec<u8>| Effect::Upload {
        room: room.clone(),
        file_name: format!("relais-{week}.{extension}"),
        mime: mime.to_string(),
        bytes,
        key: format!("{key}:{extension}"),
    };
    let mut effects = Vec::with_capacity(2);
    match data.chart_png(&data.chart_labels(app, lang)) {
        Ok(png) => effects.push(upload("png", "image/png", png)),
        Err(e) => {
            tracing::error!(error = %e, %week, "the report chart could not be drawn; sending the report without it")
        }
    }
    effects.push(upload("csv", "text/csv", data.csv()));
    effects
}

/// `report [WEEK]`: the given week, or the current one, with its chart and CSV in the same room.
pub fn report(ctx: &mut Ctx, week: Option<WeekKey>) -> Result<Vec<Effect>, Failure> {
    let current = WeekKey::of(ctx.now, ctx.app.settings.org_tz);
    let week = week.unwrap_or(current);
    if week > current {
        return Err(Failure::user(
            "report.future",
            json!({"week": week.to_string(), "current": current.to_string()}),
        ));
    }
    let data = WeekData::load(ctx.app, week)?.seen_on(ctx.today_org());
    let report = data.summary(&ctx.app.settings.campaigns, &[]);
    let mut effects = vec![Effect::Reply {
        text: render_text(ctx.app, ctx.lang(), &report),
        mentions: Vec::new(),
    }];
    // Each request is its own upload: the key carries the request's time.
    let key = format!("report:{}:{week}:at:{}", ctx.msg.room, ctx.now.timestamp());
    effects.extend(file_effects(ctx.app, &data, ctx.lang(), &ctx.msg.room, &key));
    Ok(effects)
}
