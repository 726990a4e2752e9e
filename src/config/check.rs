//! The configuration checker: parses the text, reads every section, then checks what spans
//! sections (duplicate rooms, demo references) and assembles the [`Config`].

use super::fields::parse_identity;
use super::model::{Bot, Campaign, Config, Demo, DemoAmbassador, DemoItem, DemoKind, DemoReshare, Discord, Matrix};
use super::model::{Nudges, Organisation, Points, Room, Schedule, Store};
use super::suggest::closest;
use super::walk::{field_names, start_of, value_start, Place, Report};
use crate::domain::Identity;
use serde::de::DeserializeOwned;
use std::collections::HashSet;
use toml_edit::{ImDocument, Item, Table};

const fn place(path: &'static str, header: &'static str, required: &'static [&'static str]) -> Place {
    Place { path, header, required }
}

pub(super) const ORGANISATION: Place = place("organisation", "[organisation]", &["name"]);
pub(super) const BOT: Place = place("bot", "[bot]", &[]);
pub(super) const POINTS: Place = place("points", "[points]", &[]);
pub(super) const STORE: Place = place("store", "[store]", &[]);
pub(super) const NUDGES: Place = place("nudges", "[nudges]", &[]);
pub(super) const SCHEDULE: Place = place("schedule", "[schedule]", &[]);
pub(super) const ROOMS: Place = place("rooms", "[[rooms]]", &["platform", "id"]);
pub(super) const CAMPAIGNS: Place = place(
    "campaigns",
    "[[campaigns]]",
    &["name", "start", "goal-reshares", "goal-date"],
);
pub(super) const MATRIX: Place = place("matrix", "[matrix]", &["homeserver", "user-id"]);
pub(super) const DISCORD: Place = place("discord", "[discord]", &["token-env"]);
pub(super) const AMBASSADORS: Place = place("demo.ambassadors", "[[demo.ambassadors]]", &["name"]);
pub(super) const ITEMS: Place = place("demo.items", "[[demo.items]]", &["title", "link", "texts"]);
pub(super) const RESHARES: Place = place("demo.reshares", "[[demo.reshares]]", &["ambassador", "url"]);

/// Checks `text` completely; on failure, every problem as (byte offset, message).
pub(super) fn check(text: &str) -> Result<Config, Vec<(usize, String)>> {
    let document = ImDocument::parse(text).map_err(|error| {
        let message = error.message().trim().replace('\n', "; ");
        vec![(
            error.span().map_or(0, |s| s.start),
            format!("TOML syntax error: {message}"),
        )]
    })?;
    let mut report = Report::default();
    let config = read_config(&mut report, document.as_table());
    match config {
        Some(config) if report.is_empty() => Ok(config),
        _ if report.is_empty() => Err(vec![(0, "the configuration could not be read".to_string())]),
        _ => Err(report.problems),
    }
}

/// A table or list entry as written, kept for positions, with what could be read from it.
type Entries<T> = Vec<(Item, Option<T>)>;

fn read_config(report: &mut Report, root: &Table) -> Option<Config> {
    let unknown = report.unknown_keys(root, field_names::<Config>(), "");
    let organisation = match root.get("organisation") {
        Some(item) => report.table::<Organisation>(ORGANISATION, item, key_start(root, "organisation")),
        // A misspelt [organisation] has been reported already.
        None if unknown.iter().any(|key| closest(key, ["organisation"]).is_some()) => None,
        None => {
            report.add(0, "missing required section [organisation] (it needs at least `name`)");
            None
        }
    };
    let bot = section::<Bot>(report, root, BOT).map(Option::unwrap_or_default);
    let points = section::<Points>(report, root, POINTS).map(Option::unwrap_or_default);
    let store = section::<Store>(report, root, STORE).map(Option::unwrap_or_default);
    let nudges = section::<Nudges>(report, root, NUDGES).map(Option::unwrap_or_default);
    let before_schedule = report.problems.len();
    let schedule = section::<Schedule>(report, root, SCHEDULE).map(Option::unwrap_or_default);
    let schedule_read_cleanly = report.problems.len() == before_schedule;
    let coordinators = coordinators(report, root);
    let rooms = entries::<Room>(report, root, ROOMS);
    if let (Some(schedule), Some(nudges), Some(rooms), true) = (&schedule, &nudges, &rooms, schedule_read_cleanly) {
        check_quiet_hours(report, root, schedule, nudges, rooms);
    }
    let rooms = rooms.map(|rooms| check_rooms(report, rooms));
    let campaigns = entries::<Campaign>(report, root, CAMPAIGNS).map(|campaigns| check_campaigns(report, campaigns));
    let matrix = section::<Matrix>(report, root, MATRIX);
    if let Some(Some(matrix)) = &matrix {
        if matrix.password_env.is_none() && matrix.access_token_env.is_none() {
            let at = root.get("matrix").and_then(start_of).unwrap_or(0);
            report.add(at, "[matrix] needs `password-env` or `access-token-env`: the name of an environment variable holding the secret");
        }
    }
    let discord = section::<Discord>(report, root, DISCORD);
    let demo = match root.get("demo") {
        Some(item) => read_demo(report, item).map(Some),
        None => Some(None),
    };
    Some(Config {
        organisation: organisation?,
        bot: bot?,
        points: points?,
        store: store?,
        nudges: nudges?,
        schedule: schedule?,
        coordinators: coordinators?,
        rooms: rooms??,
        campaigns: campaigns??,
        matrix: matrix?,
        discord: discord?,
        demo: demo?,
    })
}

fn key_start(table: &dyn toml_edit::TableLike, key: &str) -> usize {
    table.key(key).and_then(|k| k.span()).map_or(0, |s| s.start)
}

/// An optional section: `Some(None)` when absent, `None` when it could not be read (reported).
fn section<T: DeserializeOwned>(report: &mut Report, root: &Table, place: Place) -> Option<Option<T>> {
    match root.get(place.path) {
        Some(item) => report.table::<T>(place, item, key_start(root, place.path)).map(Some),
        None => Some(None),
    }
}

/// A list of tables under `parent` (its last path segment is the key); empty when absent.
fn entries<T: DeserializeOwned>(
    report: &mut Report,
    parent: &dyn toml_edit::TableLike,
    place: Place,
) -> Option<Entries<T>> {
    let key = place.path.rsplit('.').next().unwrap_or(place.path);
    match parent.get(key) {
        Some(item) => report.list::<T>(place, item),
        None => Some(Vec::new()),
    }
}

/// Every entry read (`None` if any could not be), after reporting rooms listed twice.
fn check_rooms(report: &mut Report, rooms: Entries<Room>) -> Option<Vec<Room>> {
    let mut seen = HashSet::new();
    for (item, room) in &rooms {
        let Some(room) = room else { continue };
        if !seen.insert((room.platform, room.id.clone())) {
            let at = value_start(item, "id").or_else(|| start_of(item)).unwrap_or(0);
            report.add(
                at,
                format!("room `{}:{}` is listed twice in [[rooms]]", room.platform, room.id),
            );
        }
    }
    all_read(rooms)
}

/// Every campaign read (`None` if any could not be), after reporting goal dates before the start
/// and names listed twice.
fn check_campaigns(report: &mut Report, campaigns: Entries<Campaign>) -> Option<Vec<Campaign>> {
    let mut seen = HashSet::new();
    for (item, campaign) in &campaigns {
        let Some(campaign) = campaign else { continue };
        if campaign.goal_date < campaign.start {
            let at = value_start(item, "goal-date").or_else(|| start_of(item)).unwrap_or(0);
            let message = format!(
                "campaign `{}`: the goal date {} is before its start {}; the goal date is the last day counted",
                campaign.name, campaign.goal_date, campaign.start
            );
            report.add(at, message);
        }
        if !seen.insert(campaign.name.to_lowercase()) {
            let at = value_start(item, "name").or_else(|| start_of(item)).unwrap_or(0);
            report.add(
                at,
                format!("campaign `{}` is listed twice in [[campaigns]]", campaign.name),
            );
        }
    }
    all_read(campaigns)
}

/// Times of messages to people that fall in the quiet hours: the nudges' default time, each room's
/// push time and the leaderboard's time (when there is a team room). Reported at the time when it
/// is written, else at `quiet-hours`. A time whose written value was refused (reported already) is
/// not checked: what was read in its place is the default, which the user never wrote.
fn check_quiet_hours(report: &mut Report, root: &Table, schedule: &Schedule, nudges: &Nudges, rooms: &Entries<Room>) {
    let quiet = schedule.quiet_hours;
    let quiet_at = root
        .get("schedule")
        .and_then(|s| value_start(s, "quiet-hours"))
        .unwrap_or(0);
    let hint = format!("inside the quiet hours ({quiet}), when Relais sends nothing; choose a time outside them or change `schedule.quiet-hours`");
    let shown = |time: chrono::NaiveTime, written: Option<usize>| match written {
        Some(_) => time.format("%H:%M").to_string(),
        None => format!("{} (the default)", time.format("%H:%M")),
    };
    let refused = |report: &Report, written: Option<usize>| {
        written.is_some_and(|at| report.problems.iter().any(|(problem, _)| *problem == at))
    };
    let written = root.get("nudges").and_then(|n| value_start(n, "default-time"));
    if quiet.contains(nudges.default_time) && !refused(report, written) {
        report.add(
            written.unwrap_or(quiet_at),
            format!(
                "`nudges.default-time` {} is {hint}",
                shown(nudges.default_time, written)
            ),
        );
    }
    for (item, room) in rooms {
        let Some(room) = room.as_ref().filter(|r| quiet.contains(r.push_time)) else {
            continue;
        };
        let written = value_start(item, "push-time");
        if refused(report, written) {
            continue;
        }
        let at = written.or_else(|| start_of(item)).unwrap_or(quiet_at);
        report.add(
            at,
            format!(
                "room `{}:{}`: `push-time` {} is {hint}",
                room.platform,
                room.id,
                shown(room.push_time, written)
            ),
        );
    }
    let has_team_room = rooms
        .iter()
        .any(|(_, room)| room.as_ref().is_some_and(|r| !r.coordinators_room));
    if has_team_room && quiet.contains(schedule.leaderboard_time) {
        let written = root.get("schedule").and_then(|s| value_start(s, "leaderboard-time"));
        let what = shown(schedule.leaderboard_time, written);
        report.add(
            written.unwrap_or(quiet_at),
            format!("`schedule.leaderboard-time` {what} is {hint}"),
        );
    }
}

/// `coordinators = ["platform:user", ...]`: every bad entry is reported on its own.
fn coordinators(report: &mut Report, root: &Table) -> Option<Vec<Identity>> {
    let Some(item) = root.get("coordinators") else {
        return Some(Vec::new());
    };
    let Some(values) = item.as_array() else {
        let message = "`coordinators` must be a list such as [\"matrix:@carla:example.org\", \"console:carla\"]";
        report.add(start_of(item).unwrap_or(0), message);
        return None;
    };
    let mut identities = Some(Vec::new());
    for value in values.iter() {
        let at = value.span().map_or(0, |s| s.start);
        let parsed = match value.as_str() {
            Some(text) => parse_identity(text),
            None => Err(format!(
                "each entry must be a string such as \"console:carla\", not {}",
                value.type_name()
            )),
        };
        match parsed {
            Ok(identity) => identities.iter_mut().for_each(|list| list.push(identity.clone())),
            Err(message) => {
                report.add(at, format!("`coordinators`: {message}"));
                identities = None;
            }
        }
    }
    identities
}

fn read_demo(report: &mut Report, item: &Item) -> Option<Demo> {
    let Some(table) = item.as_table_like() else {
        report.add(start_of(item).unwrap_or(0), "`demo` must be a table ([demo])");
        return None;
    };
    report.unknown_keys(table, field_names::<Demo>(), "[demo]");
    let ambassadors = entries::<DemoAmbassador>(report, table, AMBASSADORS);
    let items = entries::<DemoItem>(report, table, ITEMS);
    let reshares = entries::<DemoReshare>(report, table, RESHARES);
    let (ambassadors, items, reshares) = (ambassadors?, items?, reshares?);
    check_demo(report, &ambassadors, &items, &reshares);
    Some(Demo {
        ambassadors: all_read(ambassadors)?,
        items: all_read(items)?,
        reshares: all_read(reshares)?,
    })
}

/// What was read from every entry, or `None` if any entry could not be read.
fn all_read<T>(entries: Entries<T>) -> Option<Vec<T>> {
    entries.into_iter().map(|(_, read)| read).collect()
}

/// Demo references: unique ambassador names, reshares naming known ambassadors and items,
/// expiry only on hot items.
fn check_demo(
    report: &mut Report,
    ambassadors: &Entries<DemoAmbassador>,
    items: &Entries<DemoItem>,
    reshares: &Entries<DemoReshare>,
) {
    let mut names = HashSet::new();
    for (entry, ambassador) in ambassadors {
        let Some(ambassador) = ambassador else { continue };
        if !names.insert(ambassador.name.as_str()) {
            let at = value_start(entry, "name").unwrap_or(0);
            report.add(
                at,
                format!(
                    "ambassador `{}` is listed twice in [[demo.ambassadors]]",
                    ambassador.name
                ),
            );
        }
    }
    for (entry, item) in items {
        if let Some(item) = item
            .as_ref()
            .filter(|i| i.kind == DemoKind::Evergreen && i.expires_in_hours.is_some())
        {
            let at = value_start(entry, "expires-in-hours").unwrap_or(0);
            report.add(
                at,
                format!(
                    "item `{}`: only hot items expire; remove `expires-in-hours` or set kind = \"hot\"",
                    item.title
                ),
            );
        }
    }
    for (entry, reshare) in reshares {
        let Some(reshare) = reshare else { continue };
        if !names.contains(reshare.ambassador.as_str()) {
            let at = value_start(entry, "ambassador").unwrap_or(0);
            report.add(
                at,
                format!(
                    "`demo.reshares.ambassador`: no ambassador is named `{}` in [[demo.ambassadors]]",
                    reshare.ambassador
                ),
            );
        }
        if let Some(number) = reshare.item.filter(|n| *n > items.len()) {
            let at = value_start(entry, "item").unwrap_or(0);
            let range = match items.len() {
                0 => "there are no [[demo.items]]".to_string(),
                count => format!("[[demo.items]] are numbered from 1 to {count}"),
            };
            report.add(at, format!("`demo.reshares.item`: there is no item {number}: {range}"));
        }
    }
}
