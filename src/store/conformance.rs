//! The store conformance suite: one set of behaviour checks that every [`Store`] implementation
//! must pass, and [`store_conformance_tests!`](crate::store_conformance_tests) to run it as tests.
//!
//! Each case is a public function taking a fresh, empty store and panicking (assert) on any
//! difference. `tests/store_conformance.rs` runs them for the memory, the sled and the SQLite store:
//!
//! ```text
//! relais::store_conformance_tests!(memory, relais::store::MemoryStore::new());
//! ```

mod actions;
mod ambassadors;
mod fixtures;
mod keys;
mod link_codes;
mod reshares;
mod rooms;
mod writes;

pub use actions::*;
pub use ambassadors::*;
pub use fixtures::*;
pub use keys::*;
pub use link_codes::*;
pub use reshares::*;
pub use rooms::*;
pub use writes::*;

use super::{MemoryStore, SledStore, SqliteStore, Store};

/// Something that holds a store under test: the store itself, or `(store, guard)` where the guard
/// (a temporary directory, say) must live as long as the store and is dropped after it.
pub trait Subject {
    fn store(&self) -> &dyn Store;
}

impl Subject for MemoryStore {
    fn store(&self) -> &dyn Store {
        self
    }
}

impl Subject for SledStore {
    fn store(&self) -> &dyn Store {
        self
    }
}

impl Subject for SqliteStore {
    fn store(&self) -> &dyn Store {
        self
    }
}

impl<S: Store, G> Subject for (S, G) {
    fn store(&self) -> &dyn Store {
        &self.0
    }
}

/// Expands to `mod $modname { ... }` with one `#[test]` per conformance case, each calling the
/// case with a fresh subject made by `$make` (an expression evaluated once per test, in a module
/// that sees the caller's imports; see [`Subject`]).
#[macro_export]
macro_rules! store_conformance_tests {
    ($modname:ident, $make:expr) => {
        mod $modname {
            #[allow(unused_imports)]
            use super::*;
            $crate::store_conformance_tests!(@cases $make;
                ambassadors_are_stored_found_by_identity_and_listed,
                identities_are_reindexed_on_update,
                a_taken_identity_writes_nothing,
                ids_increase_and_are_never_reused,
                items_are_stored_and_listed,
                a_second_claim_is_already_counted_and_changes_nothing,
                stats_and_week_totals_follow_recorded_reshares,
                reached_at_moves_only_with_points_and_never_back,
                a_reshare_of_an_unknown_ambassador_is_refused,
                attach_url_makes_the_url_a_key_and_keeps_the_points,
                further_keys_are_keys_until_the_reshare_is_withdrawn,
                attach_url_indexes_the_keys_given_with_it,
                withdrawing_reverses_the_totals_and_frees_the_keys,
                reshares_between_is_half_open_and_oldest_first,
                reshares_of_are_oldest_first,
                week_totals_hold_only_that_week,
                week_totals_always_agree_with_the_reshares,
                forget_erases_everything_of_one_ambassador_only,
                merge_moves_everything_into_the_survivor,
                quick_claims_follow_the_merged_person,
                claim_keys_follow_the_merged_person,
                a_failed_merge_writes_nothing,
                link_codes_are_one_use,
                wrong_link_codes_are_counted_per_person_within_their_window,
                the_schema_version_is_current,
                action_states_are_recorded_and_replaced,
                action_batches_are_written_together_and_the_last_state_wins,
                skipped_actions_are_listed_by_due_time_in_a_half_open_range,
                pruning_forgets_only_old_action_records,
                room_records_are_stored_replaced_and_listed_by_room,
                every_write_moves_the_write_count_and_no_read_does,
            );
        }
    };
    (@cases $make:expr; $($case:ident),+ $(,)?) => {
        $(
            #[test]
            fn $case() {
                let subject = $make;
                $crate::store::conformance::$case($crate::store::conformance::Subject::store(&subject));
            }
        )+
    };
}
