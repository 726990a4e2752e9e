//! The sync loop: sync from the adapter's own position, leave out history (what came before the
//! bot joined), hand the new events to the core and send the answers (see `answers`), and only
//! then move the saved position.

pub use super::backoff::Backoff;
use super::batch::{sdk_event, Batch, KeyCounts, Known};
use super::events::{classify, RoomEvent};
use super::first_sync;
use super::handlers::blocking;
use super::rooms::RejoinPace;
use super::schedule::Schedule;
use super::state::{AdapterState, Flush};
use super::undecrypted::AwaitingKeys;
use super::{MatrixConfig, MatrixError, MatrixOptions};
use crate::app::App;
use crate::platform::heap::Trimmer;
use chrono::{DateTime, TimeZone, Utc};
use matrix_sdk::config::SyncSettings;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::api::client::filter::{FilterDefinition, RoomEventFilter, RoomFilter};
use matrix_sdk::ruma::api::client::sync::sync_events;
use matrix_sdk::ruma::api::client::sync::sync_events::v3::Filter;
use matrix_sdk::ruma::{OwnedRoomId, UInt};
use matrix_sdk::{Client, Room};
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

/// What a long poll brought (see [`Adapter::poll`]).
enum Polled {
    /// A batch the adapter handles itself.
    Ready(Batch),
    /// A batch matrix-sdk must process, from this position.
    ThroughSdk(Option<String>),
}

/// How long a request may take beyond a sync's long-poll timeout.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Where an event came from, for turning effects into messages.
pub struct Origin {
    pub room: Room,
    /// The event effects answer (a command, or the push message a reaction was on).
    pub event_id: Option<String>,
    pub thread_root: Option<String>,
    pub sender: String,
    pub direct: bool,
    /// The event that caused the effects: makes their transaction ids deterministic.
    pub cause: String,
}

/// The running adapter.
pub struct Adapter<'a> {
    pub(super) app: &'a App<'a>,
    pub(super) client: Client,
    pub(super) config: &'a MatrixConfig,
    pub(super) options: &'a MatrixOptions,
    pub(super) own_user: String,
    pub(super) state: AdapterState,
    /// Joined room id → the id the configuration uses for it (a room id or an alias).
    pub(super) rooms: HashMap<OwnedRoomId, String>,
    /// The core scheduler and the adapter's clock.
    pub(super) schedule: Schedule,
    /// When the bot joined each room seen since it started (ms since the epoch; `None` when it
    /// could not be told): events older than that are history, not answered.
    joined_at: HashMap<OwnedRoomId, Option<i64>>,
    /// When this process joined rooms itself (the local clock), in case the homeserver's join
    /// event is not known yet.
    pub(super) joined_here: HashMap<OwnedRoomId, DateTime<Utc>>,
    /// The one-time-key counts of the last sync (a change sends the sync through matrix-sdk).
    key_counts: Option<KeyCounts>,
    /// Room facts read from matrix-sdk, forgotten when a sync goes through it.
    pub(super) known: Known,
    /// Gives freed memory back after the syncs that use most of it.
    trimmer: Trimmer,
    /// Encrypted events waiting for their room keys.
    pub(super) awaiting: AwaitingKeys,
    /// When configured rooms the bot is missing may be joined again.
    pub(super) rejoin: RejoinPace,
    /// Where the first sync starts when an earlier run's first sync was interrupted after
    /// matrix-sdk handled it (see `state`): what came after it is answered, not history.
    pub(super) resume_first: Option<String>,
}

impl<'a> Adapter<'a> {
    pub fn new(
        app: &'a App<'a>,
        client: Client,
        config: &'a MatrixConfig,
        options: &'a MatrixOptions,
    ) -> Result<Self, MatrixError> {
        let own_user = client
            .user_id()
            .map(|u| u.to_string())
            .ok_or_else(|| MatrixError::Session("not logged in".into()))?;
        let state = AdapterState::load(&config.state_dir)?;
        Ok(Adapter {
            app,
            client,
            config,
            options,
            own_user,
            state,
            rooms: HashMap::new(),
            schedule: Schedule::start(app, options.clock)?,
            joined_at: HashMap::new(),
            joined_here: HashMap::new(),
            key_counts: None,
            known: Known::default(),
            trimmer: Trimmer::new(Duration::from_secs(60)),
            awaiting: AwaitingKeys::load(&config.state_dir)?,
            rejoin: RejoinPace::new(options.first_backoff),
            resume_first: None,
        })
    }

    /// Syncs until `shutdown`; a failed sync is retried with backoff, never given up.
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) -> Result<(), MatrixError> {
        tokio::pin!(shutdown);
        self.prepare_first_sync().await?;
        self.join_configured_rooms().await;
        let mut backoff = Backoff::new(self.options.first_backoff, self.options.max_backoff);
        let mut synced = false;
        // A first sync whose answers could not all be sent: it cannot be asked for again (the
        // next one starts after it), so its events are handled again from it (see `first_sync`).
        let mut unanswered_first = self.kept_first_sync()?;
        loop {
            // Scheduled messages go out once the rooms are known (after a first sync).
            if synced {
                self.run_due_actions().await;
            }
            // A first sync handled again is already kept on disk.
            let kept = unanswered_first.is_some();
            let response = match unanswered_first.take() {
                Some(batch) => Ok(batch),
                None => {
                    let polled = tokio::select! {
                        _ = &mut shutdown => break,
                        r = self.poll() => r,
                    };
                    match polled {
                        Ok(Polled::Ready(batch)) => Ok(batch),
                        // Never cut short by the shutdown: matrix-sdk stopped half-way through the
                        // to-device messages it decrypts can keep an Olm session without the room
                        // key it brought, and an Olm message cannot be decrypted twice (the key,
                        // and the commands it opens, would be lost). It is short (no long poll).
                        Ok(Polled::ThroughSdk(since)) => self.sdk_batch(since).await,
                        Err(error) => Err(error),
                    }
                }
            };
            match response {
                Ok(response) => {
                    let through_sdk = response.through_sdk;
                    let first = self.state.next_batch.is_none();
                    let done = self.process(&response).await?;
                    if through_sdk && done {
                        // Room keys come through matrix-sdk's syncs.
                        self.retry_undecrypted().await;
                        self.save_state()?;
                    }
                    // The first sync and the SDK's processing are the peaks of memory use.
                    if through_sdk {
                        self.trimmer.maybe_release(std::time::Instant::now());
                    }
                    synced = true;
                    if done {
                        if first {
                            blocking(|| first_sync::clear(&self.config.state_dir))?;
                        }
                        let failures = backoff.reset();
                        if failures > 0 {
                            tracing::info!(failures, "Matrix sync works again");
                        }
                        continue;
                    }
                    tracing::warn!("the homeserver could not take the answers; the events will be handled again");
                    if first {
                        if !kept {
                            blocking(|| first_sync::keep(&self.config.state_dir, &response))?;
                        }
                        unanswered_first = Some(response);
                    }
                }
                Err(error) => tracing::warn!(%error, "Matrix sync failed"),
            }
            let wait = backoff.next_wait();
            tracing::info!(retry_in_ms = wait.as_millis() as u64, "retrying the Matrix sync");
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(wait) => {}
                _ = tokio::time::sleep(self.schedule.until_next_due()), if synced => {}
            }
        }
        tracing::info!("Matrix adapter stopped");
        Ok(())
    }

    /// The sync filter: the room timelines without the bot's own messages; no typing notices,
    /// read receipts or presence (they would wake the bot for nothing).
    fn sync_filter(&self) -> Filter {
        let mut timeline = RoomEventFilter::default();
        timeline.limit = Some(UInt::from(self.options.timeline_limit));
        timeline.not_senders = matrix_sdk::ruma::UserId::parse(self.own_user.as_str())
            .ok()
            .into_iter()
            .collect();
        let mut room = RoomFilter::default();
        room.timeline = timeline;
        room.ephemeral = RoomEventFilter::ignore_all();
        let mut filter = FilterDefinition::default();
        filter.room = room;
        filter.presence = matrix_sdk::ruma::api::client::filter::Filter::ignore_all();
        Filter::FilterDefinition(filter)
    }

    /// The next sync: a long poll (cancellable: nothing is processed yet) whose batch the adapter
    /// handles itself, or that matrix-sdk must process (then fetched again through it, see
    /// [`sdk_batch`](Self::sdk_batch)). The very first has no long poll (scheduled messages wait
    /// for it) and always goes through matrix-sdk.
    async fn poll(&mut self) -> Result<Polled, String> {
        let Some(token) = self.state.next_batch.clone() else {
            // A resumed first sync starts from its saved position, a fresh one from whatever
            // matrix-sdk has.
            return Ok(Polled::ThroughSdk(self.resume_first.clone()));
        };
        let timeout = self.options.sync_timeout.min(self.schedule.until_next_due());
        let mut request = sync_events::v3::Request::new();
        request.filter = Some(self.sync_filter());
        request.since = Some(token.clone());
        request.timeout = Some(timeout);
        request.use_state_after = true;
        // The client's retries, not the unbounded default: an outage must come back to this loop.
        let config = super::session::request_config().timeout(REQUEST_TIMEOUT + timeout);
        let raw = self
            .client
            .send(request)
            .with_request_config(config)
            .await
            .map_err(|e| e.to_string())?;
        let known_keys = self.key_counts.replace(KeyCounts::of(&raw));
        if let Some(batch) = Batch::plain(&token, &raw, &self.client, known_keys.as_ref()) {
            return Ok(Polled::Ready(batch));
        }
        tracing::debug!("this sync goes through matrix-sdk");
        Ok(Polled::ThroughSdk(Some(token)))
    }

    /// The sync from `since` (matrix-sdk's own position when `None`) through matrix-sdk, which
    /// decrypts and stores what it brings; without a long poll.
    async fn sdk_batch(&mut self, since: Option<String>) -> Result<Batch, String> {
        let mut settings = SyncSettings::default()
            .filter(self.sync_filter())
            .timeout(Duration::ZERO);
        if let Some(token) = &since {
            settings = settings.token(token.clone());
        }
        let response = self.client.sync_once(settings).await.map_err(|e| e.to_string())?;
        self.known.forget();
        Ok(Batch::from_sdk(since, response))
    }

    /// Saves the events waiting for their keys, then the adapter state (the sync position last:
    /// it moves past those events).
    pub(super) fn save_state(&mut self) -> Result<(), MatrixError> {
        self.save_state_with(Flush::Now)
    }

    /// Like [`save_state`](Self::save_state), the journal flushed as `flush` says (see `state`).
    fn save_state_with(&mut self, flush: Flush) -> Result<(), MatrixError> {
        blocking(|| self.awaiting.save())?;
        Ok(blocking(|| self.state.save_with(flush))?)
    }

    /// Handles a sync's updates; `Ok(false)` when an answer could not be sent (the saved position
    /// does not move, so the rest is handled again after the next sync).
    async fn process(&mut self, batch: &Batch) -> Result<bool, MatrixError> {
        for room_id in &batch.invited {
            self.consider_invite(room_id).await;
        }
        for room_id in &batch.left {
            self.joined_at.remove(room_id);
        }
        // A fresh start: no earlier position, so what came before this sync is history.
        let fresh = batch.since.is_none();
        let writes_before = self.app.store.write_count();
        if fresh {
            tracing::info!(
                rooms = batch.joined.len(),
                "first Matrix sync: earlier messages are not answered"
            );
        }
        let mut planned = Vec::new();
        for update in &batch.joined {
            self.note_joined(&update.room_id);
            let Some(room) = self.client.get_room(&update.room_id) else {
                continue;
            };
            if !fresh
                && update.limited
                && !self
                    .fill_gap(&room, batch.since.clone(), update.prev_batch.as_deref())
                    .await?
            {
                return Ok(false);
            }
            let events = &update.events;
            // History is not answered: what came before the bot joined; on a fresh start,
            // everything unless the bot joined within this timeline (then what came after).
            let joined = self.join_time(&room).await;
            let oldest = events
                .first()
                .and_then(|(_, v)| v.get("origin_server_ts"))
                .and_then(Value::as_i64);
            let joined_in_timeline = matches!((joined, oldest), (Some(j), Some(o)) if j >= o);
            let skip = if fresh && !joined_in_timeline {
                events.len()
            } else {
                events
                    .iter()
                    .take_while(|(_, v)| before(v, joined) || classify(v, &self.own_user) == RoomEvent::OwnJoin)
                    .count()
            };
            for (event_id, value) in events.iter().skip(skip) {
                planned.extend(self.plan(&room, event_id, value).await);
            }
            if !fresh {
                for event in &update.undecrypted {
                    let history = matches!((event.origin_ts, joined), (Some(sent), Some(j)) if sent < j);
                    if !history && !self.state.is_handled(&event.event_id) {
                        self.awaiting
                            .keep(update.room_id.clone(), event.clone(), std::time::Instant::now());
                    }
                }
            }
        }
        let done = self.carry_out(planned).await;
        if done {
            self.state.next_batch = Some(batch.next_batch.clone());
        }
        // Events that changed nothing in the store may be handled again after a machine crash
        // (same answers, same transaction ids); those that did must never be.
        let wrote = self.app.store.write_count() != writes_before;
        self.save_state_with(if wrote { Flush::Now } else { Flush::Later })?;
        Ok(done)
    }

    /// When the bot joined `room` (its membership event as the homeserver stamped it, else the
    /// local time this process joined it); looked up once per room and process.
    async fn join_time(&mut self, room: &Room) -> Option<i64> {
        if let Some(known) = self.joined_at.get(room.room_id()) {
            return *known;
        }
        let from_server = match self.own_membership(room.room_id()).await {
            Some((membership, ts)) if membership == "join" => ts,
            _ => None,
        };
        let joined = from_server.or_else(|| self.joined_here.get(room.room_id()).map(|t| t.timestamp_millis()));
        if joined.is_none() {
            tracing::warn!(room = %room.room_id(), "cannot tell when the bot joined this room: no event is treated as history");
        }
        self.joined_at.insert(room.room_id().to_owned(), joined);
        joined
    }

    /// The bot's membership in `room_id` and when it took effect, as the homeserver has it.
    pub(super) async fn own_membership(&self, room_id: &matrix_sdk::ruma::RoomId) -> Option<(String, Option<i64>)> {
        use matrix_sdk::ruma::api::client::state::get_state_event_for_key::v3::{Request, StateEventFormat};
        use matrix_sdk::ruma::events::StateEventType;
        let mut request = Request::new(room_id.to_owned(), StateEventType::RoomMember, self.own_user.clone());
        request.format = StateEventFormat::Event;
        let response = self.client.send(request).await.ok()?;
        let event: Value = serde_json::from_str(response.event_or_content.get()).ok()?;
        let membership = event
            .pointer("/content/membership")
            .and_then(Value::as_str)?
            .to_string();
        Some((membership, event.get("origin_server_ts").and_then(Value::as_i64)))
    }

    /// The timeline was cut: fetch what came between `from` (where the sync started) and the
    /// timeline's start.
    async fn fill_gap(
        &mut self,
        room: &Room,
        mut from: Option<String>,
        until: Option<&str>,
    ) -> Result<bool, MatrixError> {
        tracing::info!(room = %room.room_id(), "the sync skipped events: fetching the missed ones");
        for _page in 0..50 {
            let mut options = MessagesOptions::forward().from(from.as_deref());
            options.to = until.map(String::from);
            options.limit = UInt::from(100u32);
            let page = match room.messages(options).await {
                Ok(page) => page,
                Err(e) => {
                    tracing::warn!(room = %room.room_id(), error = %e, "could not fetch the messages missed in a long gap");
                    return Ok(false);
                }
            };
            let mut planned = Vec::new();
            for (event_id, value) in page.chunk.iter().filter_map(sdk_event) {
                planned.extend(self.plan(room, &event_id, &value).await);
            }
            let done = self.carry_out(planned).await;
            self.save_state()?;
            if !done {
                return Ok(false);
            }
            match page.end {
                Some(end) if !page.chunk.is_empty() => from = Some(end),
                _ => return Ok(true),
            }
        }
        tracing::warn!(room = %room.room_id(), "gap too long: older missed messages are not answered");
        Ok(true)
    }
}

/// Whether `event` was sent before `joined` (ms since the epoch).
fn before(event: &Value, joined: Option<i64>) -> bool {
    let sent = event.get("origin_server_ts").and_then(Value::as_i64);
    matches!((sent, joined), (Some(sent), Some(joined)) if sent < joined)
}

/// When a message was sent, as the homeserver stamped it (never in the future).
pub(super) fn event_time(origin_ts: Option<i64>) -> DateTime<Utc> {
    let now = Utc::now();
    origin_ts
        .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
        .filter(|t| *t <= now)
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_times_are_never_in_the_future() {
        let past = Utc.with_ymd_and_hms(2025, 11, 23, 9, 0, 0).single().expect("time");
        assert_eq!(event_time(Some(past.timestamp_millis())), past);
        let future = Utc::now() + chrono::Duration::days(1);
        assert!(event_time(Some(future.timestamp_millis())) <= Utc::now());
        assert!(event_time(None) <= Utc::now());
    }
}
