//! The rooms Relais serves, managed from chat: `room here team|coordinators [LANG] [HH:MM]`,
//! `room off`, `room`, and the one line a room it does not serve gets.
//!
//! # What wins: the configuration or the chat
//!
//! `[[rooms]]` seeds the rooms. A room of the configuration is served as written there until a
//! coordinator changes it from chat (`room here …` or `room off`); from then on the store's record
//! wins (a start where the two differ logs a warning). A room only told it is not served keeps
//! following the file. Rooms set up from chat need no
//! `[[rooms]]` entry. The [`RoomBook`] holds the result for the running process: every thread
//! (commands, the scheduler) reads it, and a change from chat is seen at once.

use super::context::{Ctx, Failure};
use super::{App, Effect, Incoming, Reply, RoomSettings, Settings};
use crate::command::{RoomAction, RoomPurpose};
use crate::domain::{Lang, RoomRef};
use crate::store::{RoomRecord, RoomSetup, Store, StoreError};
use chrono::NaiveTime;
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{PoisonError, RwLock};

/// The rooms of this process, each at a position that never changes while it runs (the
/// scheduler's room targets are positions): a stopped room keeps its place, served by no one, and
/// a new room is added at the end.
#[derive(Debug, Default)]
pub struct RoomBook {
    rooms: RwLock<Vec<(RoomRef, Option<RoomSettings>)>>,
    /// Moves on every change, so that the scheduler knows to queue the rooms again.
    generation: AtomicU64,
}

fn settings_of(room: &RoomRef, setup: RoomSetup) -> RoomSettings {
    RoomSettings {
        room: room.clone(),
        lang: setup.lang,
        push_time: setup.push_time,
        coordinators_room: setup.coordinators_room,
    }
}

fn setup_of(room: &RoomSettings) -> RoomSetup {
    RoomSetup {
        lang: room.lang,
        push_time: room.push_time,
        coordinators_room: room.coordinators_room,
    }
}

impl RoomBook {
    /// The configuration's rooms, each replaced by the store's record when there is one, then the
    /// rooms set up from chat only. A store that cannot be read leaves the configuration's rooms
    /// (logged).
    pub fn load(settings: &Settings, store: &dyn Store) -> RoomBook {
        let records = store.rooms().unwrap_or_else(|error| {
            tracing::error!(%error, "cannot read the rooms set up from chat; serving the configured rooms only");
            Vec::new()
        });
        let mut rooms: Vec<(RoomRef, Option<RoomSettings>)> = Vec::new();
        for configured in &settings.rooms {
            let kept = records.iter().find(|r| r.room == configured.room && r.from_chat);
            let served = match kept {
                None => Some(configured.clone()),
                Some(record) => {
                    let served = record.setup.map(|setup| settings_of(&record.room, setup));
                    if served.as_ref() != Some(configured) {
                        tracing::warn!(room = %configured.room, "this [[rooms]] entry was changed from chat (`room`): the chat's settings are used, not the file's");
                    }
                    served
                }
            };
            rooms.push((configured.room.clone(), served));
        }
        for record in records.into_iter().filter(|r| r.from_chat) {
            if !rooms.iter().any(|(room, _)| *room == record.room) {
                let served = record.setup.map(|setup| settings_of(&record.room, setup));
                rooms.push((record.room, served));
            }
        }
        RoomBook {
            rooms: RwLock::new(rooms),
            generation: AtomicU64::new(0),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Vec<(RoomRef, Option<RoomSettings>)>> {
        self.rooms.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The settings of `room`, if Relais serves it.
    pub fn get(&self, room: &RoomRef) -> Option<RoomSettings> {
        self.read().iter().find(|(r, _)| r == room).and_then(|(_, s)| s.clone())
    }

    /// The room at `position`, if it is served.
    pub fn at(&self, position: usize) -> Option<RoomSettings> {
        self.read().get(position).and_then(|(_, s)| s.clone())
    }

    /// Every served room with its position.
    pub fn served(&self) -> Vec<(usize, RoomSettings)> {
        let rooms = self.read();
        let served = rooms.iter().enumerate();
        served.filter_map(|(i, (_, s))| Some((i, s.clone()?))).collect()
    }

    /// How many times the rooms changed since the start.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Serves `room` with `settings`, or stops serving it (`None`).
    fn set(&self, room: &RoomRef, settings: Option<RoomSettings>) {
        let mut rooms = self.rooms.write().unwrap_or_else(PoisonError::into_inner);
        match rooms.iter_mut().find(|(r, _)| r == room) {
            Some((_, served)) => *served = settings,
            None => rooms.push((room.clone(), settings)),
        }
        self.generation.fetch_add(1, Ordering::Release);
    }
}

/// `room …` (coordinators only; checked before).
pub fn room(ctx: &mut Ctx, action: RoomAction) -> Result<Vec<Effect>, Failure> {
    let room = ctx.msg.room.clone();
    let current = ctx.app.rooms.get(&room);
    match action {
        RoomAction::Show => Ok(vec![ctx.reply("room.status", status_vars(ctx.app, current.as_ref()))]),
        RoomAction::Serve {
            purpose,
            lang,
            push_time,
        } => {
            let served = RoomSettings {
                room: room.clone(),
                lang: lang
                    .or(current.as_ref().map(|c| c.lang))
                    .unwrap_or(ctx.app.settings.default_lang),
                push_time: push_time.or(current.as_ref().map(|c| c.push_time)).unwrap_or(nine()),
                coordinators_room: purpose == RoomPurpose::Coordinators,
            };
            keep(ctx.app, &room, Some(&served))?;
            tracing::info!(%room, by = %ctx.who.id, coordinators = served.coordinators_room, "room set up from chat");
            let mut vars = status_vars(ctx.app, Some(&served));
            vars["quiet"] = json!(ctx.app.settings.schedule.quiet_hours.contains(served.push_time));
            Ok(vec![ctx.reply("room.served", vars)])
        }
        RoomAction::Off => {
            if current.is_some() {
                keep(ctx.app, &room, None)?;
                tracing::info!(%room, by = %ctx.who.id, "room no longer served (from chat)");
            }
            let vars = json!({"was_served": current.is_some(), "prefix": ctx.app.settings.prefix});
            Ok(vec![ctx.reply("room.off", vars)])
        }
    }
}

fn nine() -> NaiveTime {
    NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN)
}

fn status_vars(app: &App, room: Option<&RoomSettings>) -> serde_json::Value {
    json!({
        "served": room.is_some(),
        "coordinators": room.is_some_and(|r| r.coordinators_room),
        "lang": room.map(|r| r.lang.code()),
        "time": room.map(|r| r.push_time.format("%H:%M").to_string()),
        "prefix": app.settings.prefix,
    })
}

/// Writes the room's record (keeping whether it was told it is not served), then the book.
fn keep(app: &App, room: &RoomRef, served: Option<&RoomSettings>) -> Result<(), StoreError> {
    let told_unserved = app.store.room(room)?.is_some_and(|r| r.told_unserved);
    app.store.put_room(&RoomRecord {
        room: room.clone(),
        from_chat: true,
        setup: served.map(setup_of),
        told_unserved,
    })?;
    app.rooms.set(room, served.cloned());
    Ok(())
}

/// A command in a room Relais does not serve: one short line saying so and how a coordinator sets
/// it up, the first time in that room only (remembered in the store); nothing afterwards.
pub fn tell_unserved_once(app: &App, msg: &Incoming, lang: Lang) -> Vec<Effect> {
    let record = match app.store.room(&msg.room) {
        Ok(record) => record,
        Err(error) => {
            tracing::error!(%error, room = %msg.room, "cannot read the room's record");
            return Vec::new();
        }
    };
    let told = record.as_ref().is_some_and(|r| r.told_unserved);
    tracing::info!(room = %msg.room, from = %msg.from, told, "command in a room Relais does not serve");
    if told {
        return Vec::new();
    }
    let record = RoomRecord {
        told_unserved: true,
        ..record.unwrap_or(RoomRecord {
            room: msg.room.clone(),
            from_chat: false,
            setup: None,
            told_unserved: true,
        })
    };
    if let Err(error) = app.store.put_room(&record) {
        // Not told then: better silent than told again and again.
        tracing::error!(%error, room = %msg.room, "cannot record that the room was told it is not served");
        return Vec::new();
    }
    let vars = json!({"prefix": app.settings.prefix});
    vec![Reply::text(app.prompts.render(lang, "room.not_served", &vars))]
}

#[cfg(test)]
mod tests;
