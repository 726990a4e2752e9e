//! Tests of `role` and `ambassadors` (issue 14 §6): a person is named by an account id, never by
//! a display name a stranger can choose, and the answers show the account.

use crate::app::{App, Effect, Incoming, Settings};
use crate::domain::{Identity, Platform, Role, RoomRef};
use crate::prompts::Prompts;
use crate::store::{MemoryStore, Store};
use chrono::{DateTime, TimeZone, Utc};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().expect("time")
}

fn matrix(user: &str) -> Identity {
    Identity::new(Platform::Matrix, user)
}

/// `text` from `from`, whose display name on the platform is `name`; returns the last reply.
fn say(app: &App, from: &Identity, name: &str, text: &str) -> String {
    let msg = Incoming {
        from: from.clone(),
        display_name: name.into(),
        room: RoomRef::new(from.platform, "!team:example.org"),
        direct: false,
        text: text.into(),
    };
    let effects = app.handle(&msg, now());
    let last = effects.iter().rev().find_map(|e| match e {
        Effect::Reply { text, .. } => Some(text.clone()),
        _ => None,
    });
    last.unwrap_or_default()
}

fn role_of(store: &MemoryStore, who: &Identity) -> Option<Role> {
    store.ambassador_by_identity(who).expect("store").map(|a| a.role)
}

/// Issue 14 §6: `!role grant Dana` matched a display name a stranger had chosen.
#[test]
fn r14_role_takes_an_account_id_never_a_display_name() {
    let prompts = Prompts::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/prompts")))
        .expect("prompts")
        .prompts;
    let carla = matrix("@carla:example.org");
    let settings = Settings {
        coordinators: vec![carla.clone()],
        ..Settings::default()
    };
    let store = MemoryStore::new();
    let app = App::new(&settings, &prompts, &store);
    let (dana, stranger) = (matrix("@dana:example.org"), matrix("@dana:evil.example"));
    say(&app, &dana, "Dana", "!me");
    say(&app, &stranger, "Dana", "!me");

    for typed in ["Dana", "dana", "@Dana"] {
        let refused = say(&app, &carla, "Carla", &format!("!role grant {typed}"));
        assert!(refused.contains("isn't an account id"), "{typed}: {refused}");
        assert!(
            refused.contains("role grant|revoke ACCOUNT"),
            "{typed}: the usage: {refused}"
        );
        assert!(refused.contains("@dana:example.org"), "{typed}: an example: {refused}");
    }
    assert_eq!(role_of(&store, &stranger), Some(Role::Ambassador));
    assert_eq!(role_of(&store, &dana), Some(Role::Ambassador));

    let granted = say(&app, &carla, "Carla", "!role grant @dana:example.org");
    assert!(
        granted.contains("`@dana:example.org`") && granted.contains("now a coordinator"),
        "{granted}"
    );
    assert_eq!(role_of(&store, &dana), Some(Role::Coordinator));
    assert_eq!(
        role_of(&store, &stranger),
        Some(Role::Ambassador),
        "the namesake is untouched"
    );

    let unknown = say(&app, &carla, "Carla", "!role grant @zoe:example.org");
    assert!(
        unknown.contains("I don't know the account `@zoe:example.org`"),
        "{unknown}"
    );
    let by_config = say(&app, &dana, "Dana", "!role revoke @carla:example.org");
    assert!(
        by_config.contains("`@carla:example.org`") && by_config.contains("configuration"),
        "{by_config}"
    );

    let list = say(&app, &carla, "Carla", "!ambassadors");
    for account in [
        "`@dana:example.org` (matrix)",
        "`@dana:evil.example` (matrix)",
        "`@carla:example.org` (matrix)",
    ] {
        assert!(list.contains(account), "{account} in {list}");
    }
}

#[test]
fn on_discord_a_mention_or_a_user_id_names_the_account() {
    let prompts = Prompts::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/prompts")))
        .expect("prompts")
        .prompts;
    let carla = Identity::new(Platform::Discord, "100000000000000001");
    let settings = Settings {
        coordinators: vec![carla.clone()],
        ..Settings::default()
    };
    let store = MemoryStore::new();
    let app = App::new(&settings, &prompts, &store);
    let dana = Identity::new(Platform::Discord, "284751093456");
    say(&app, &dana, "Dana", "!me");
    let rows = [
        ("!role grant <@284751093456>", "now a coordinator", Role::Coordinator),
        ("!role revoke 284751093456", "no longer a coordinator", Role::Ambassador),
        ("!role grant <@!284751093456>", "now a coordinator", Role::Coordinator),
        (
            "!role revoke Dana",
            "Mention them or use their user id",
            Role::Coordinator,
        ),
    ];
    for (text, says, role) in rows {
        let reply = say(&app, &carla, "Carla", text);
        assert!(reply.contains(says), "{text}: {reply}");
        assert_eq!(role_of(&store, &dana), Some(role), "{text}");
    }
}
