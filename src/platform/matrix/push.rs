//! The daily push: once a configured Matrix room's push time (organisation zone) has passed,
//! the core's daily push for that room is posted, once per day (its key is the transaction id
//! and is remembered, so a restart does not post it again).

use super::effects::Retry;
use super::sync::Adapter;
use crate::app::{daily_push, Effect};
use crate::domain::Platform;
use chrono::Utc;

impl Adapter<'_> {
    /// Posts the pushes that are due. `Err(Retry)` when the homeserver could not be reached.
    pub(super) async fn post_due_pushes(&mut self) -> Result<(), Retry> {
        let now = Utc::now();
        let local = now.with_timezone(&self.app.settings.org_tz);
        let today = local.date_naive();
        let due: Vec<_> = self
            .app
            .settings
            .rooms
            .iter()
            .filter(|r| r.room.platform == Platform::Matrix && local.time() >= r.push_time)
            .filter(|r| self.pushed_on.get(&r.room.room) != Some(&today))
            .map(|r| r.room.clone())
            .collect();
        for room in due {
            if self.configured_room(&room).is_none() {
                continue;
            }
            match super::handlers::blocking(|| daily_push(self.app, &room, now)) {
                Ok(Some(Effect::Post { room, text, items, key })) => {
                    self.post(&room, &text, items, &key).await?;
                    self.pushed_on.insert(room.room.clone(), today);
                    self.save_state().map_err(|e| {
                        tracing::error!(error = %e, "could not save the adapter state after a push");
                        Retry
                    })?;
                }
                Ok(_) => {}
                Err(e) => tracing::error!(%room, error = %e, "the daily push could not be prepared"),
            }
        }
        Ok(())
    }
}
