//! Tests of claiming reshares through the app: once per post, once per item and network, withdrawn
//! reactions, refused links with their reason.

use crate::app::{App, Effect, Incoming, Settings};
use crate::domain::{Identity, ItemId, Platform, RoomRef};
use crate::prompts::Prompts;
use crate::store::{MemoryStore, Store};
use chrono::{TimeZone, Utc};

fn message(who: &str, text: &str) -> Incoming {
    Incoming {
        from: Identity::new(Platform::Console, who),
        display_name: who.into(),
        room: RoomRef::new(Platform::Console, "team"),
        direct: false,
        text: text.into(),
    }
}

#[test]
fn a_withdrawn_reaction_takes_its_quick_claim_back_unless_a_url_was_given() {
    with_items(2, |app, store| {
        let (c1, c2) = (ItemId(1), ItemId(2));
        app.claim_by_reaction(&message("bob", ""), c1, now());
        app.claim_by_reaction(&message("bob", ""), c2, now());
        app.handle(&message("bob", "!shared https://x.com/bob/status/42 c2"), now());
        let bob = store
            .ambassador_by_identity(&Identity::new(Platform::Console, "bob"))
            .expect("store")
            .expect("bob");
        assert_eq!(store.reshares_of(bob.id).expect("reshares").len(), 2);

        let rows = [
            ("bob", c1, 1, "the URL-less claim is withdrawn"),
            ("bob", c1, 1, "withdrawing twice does nothing"),
            ("bob", c2, 1, "a claim with a URL stays"),
            ("zoe", c2, 1, "a stranger withdraws nothing"),
        ];
        for (who, item, left, why) in rows {
            assert!(
                app.withdraw_reaction_claim(&message(who, ""), item).is_empty(),
                "{why}: no message"
            );
            assert_eq!(store.reshares_of(bob.id).expect("reshares").len(), left, "{why}");
        }
        assert!(
            store
                .ambassador_by_identity(&Identity::new(Platform::Console, "zoe"))
                .expect("store")
                .is_none(),
            "no profile for a stranger"
        );
        assert_eq!(store.stats(bob.id).expect("stats").reshares, 1);
    });
}

/// A team on the console: Carla coordinates and has approved `items` posts (c1, c2…), published today.
fn with_items(items: u32, run: impl FnOnce(&App, &MemoryStore)) {
    let prompts = Prompts::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/prompts")))
        .expect("prompts")
        .prompts;
    let settings = Settings {
        coordinators: vec![Identity::new(Platform::Console, "carla")],
        ..Settings::default()
    };
    let store = MemoryStore::new();
    let app = App::new(&settings, &prompts, &store);
    for n in 1..=items {
        let post = format!("!post add\ntitle: Post {n}\nlink: https://example.org/{n}\ntext.en: text {n}");
        app.handle(&message("carla", &post), now());
        app.handle(&message("carla", &format!("!post approve c{n}")), now());
    }
    run(&app, &store);
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().expect("time")
}

/// The replies to `effects` (the welcome of a newcomer left out), and whether the claim was counted.
fn answer(effects: &[Effect]) -> (String, bool) {
    let texts: Vec<&str> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Reply { text, .. } if !text.starts_with("Welcome") => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let counted = effects.iter().any(|e| matches!(e, Effect::React { .. }));
    (texts.join("\n"), counted)
}

/// `who`'s points and counted reshares.
fn totals(store: &MemoryStore, who: &str) -> (u64, u64) {
    let Some(person) = store
        .ambassador_by_identity(&Identity::new(Platform::Console, who))
        .expect("store")
    else {
        return (0, 0);
    };
    let stats = store.stats(person.id).expect("stats");
    (stats.points, stats.reshares)
}

/// Issue 14 §5: the same item could be claimed again and again, each time with its same-day bonus.
#[test]
fn r14_an_item_earns_points_once_per_network() {
    with_items(2, |app, store| {
        let rows = [
            ("!shared https://x.com/bob/status/1 c1", true, ""),
            ("!shared https://x.com/bob/status/2 c1", false, "once per network"),
            (
                "!shared https://twitter.com/bob/status/3?s=20 c1",
                false,
                "once per network",
            ),
            (
                "!shared https://www.linkedin.com/feed/update/urn:li:activity:7263000000000000000 c1",
                true,
                "",
            ),
            (
                "!shared https://www.linkedin.com/posts/bob_activity-7263000000000000001-AbCd c1",
                false,
                "once per network",
            ),
            ("!shared https://x.com/bob/status/2 c2", true, ""),
            (
                "!shared https://x.com/i/web/status/2 c1",
                false,
                "You already shared this one",
            ),
            ("!shared https://bob.example.org/blog/river c1", true, ""),
            (
                "!shared https://blog.example.net/bob/river c1",
                false,
                "once per network",
            ),
        ];
        let mut counted_so_far = 0;
        for (text, counted, says) in rows {
            let before = totals(store, "bob");
            let (reply, reacted) = answer(&app.handle(&message("bob", text), now()));
            let after = totals(store, "bob");
            assert_eq!(reacted, counted, "{text}: {reply}");
            assert!(reply.contains(says), "{text}: {reply}");
            counted_so_far += u64::from(counted);
            assert_eq!(after.1, counted_so_far, "{text}: reshares counted");
            assert_eq!(after.0 > before.0, counted, "{text}: points {before:?} -> {after:?}");
        }
        let (reply, reacted) = answer(&app.claim_by_reaction(&message("bob", ""), ItemId(1), now()));
        assert!(
            !reacted && reply.contains("already"),
            "a reaction after a claimed link: {reply}"
        );
        assert_eq!(totals(store, "bob").1, counted_so_far);
    });
}

#[test]
fn r14_a_reaction_counts_only_as_the_first_claim_of_an_item() {
    with_items(1, |app, store| {
        let react = || answer(&app.claim_by_reaction(&message("bob", ""), ItemId(1), now()));
        let shared = |text: &str| answer(&app.handle(&message("bob", text), now()));
        assert!(react().1, "the first claim counts");
        let points = totals(store, "bob");
        let (reply, _) = shared("!shared https://x.com/bob/status/7 c1");
        assert!(reply.contains("added your X link"), "{reply}");
        assert_eq!(
            totals(store, "bob"),
            points,
            "a link given after a reaction adds nothing"
        );
        let (reply, counted) = shared("!shared https://x.com/bob/status/8 c1");
        assert!(!counted && reply.contains("once per network"), "{reply}");
        let (_, counted) = shared("!shared https://bsky.app/profile/bob.bsky.social/post/3lbabc c1");
        assert!(counted, "another network counts");
        assert!(!react().1, "a second reaction does not");
        assert_eq!(totals(store, "bob").1, 2);
    });
}

/// Issue 14 §5: spellings of one post counted as different posts.
#[test]
fn r14_every_spelling_of_one_post_is_counted_once_whoever_claims_it() {
    with_items(0, |app, store| {
        let first = app.handle(
            &message("bob", "!shared https://x.com/alice/status/1859270000000000000"),
            now(),
        );
        assert!(answer(&first).1);
        let spellings = [
            "https://x.com/Alice/status/1859270000000000000",
            "https://x.com/i/status/1859270000000000000",
            "https://x.com/i/web/status/1859270000000000000",
            "https://x.com/alice/status/1859270000000000000/photo/1",
            "https://x.com/alice/status/1859270000000000000?lang=en",
            "https://x.com/%61lice/status/1859270000000000000",
            "https://x.com//alice/status/1859270000000000000",
            "https://x.com/bob/status/1859270000000000000",
        ];
        for (who, says) in [("zoe", "someone else"), ("bob", "You already shared this one")] {
            for url in spellings {
                let (reply, counted) = answer(&app.handle(&message(who, &format!("!shared {url}")), now()));
                assert!(!counted && reply.contains(says), "{who} {url}: {reply}");
            }
        }
        assert_eq!((totals(store, "bob").1, totals(store, "zoe").1), (1, 0));
    });
}

/// Issue 17: `!shared https://localhost:8443/a c1` was told the link "should start with https://".
#[test]
fn r17_a_refused_link_gets_its_real_reason() {
    with_items(1, |app, store| {
        let rows = [
            (
                "!shared https://localhost:8443/a c1",
                "`localhost` is a local or reserved name",
            ),
            ("!shared https://127.0.0.1/8 c1", "`127.0.0.1` is an IP address"),
            (
                "!shared https://169.254.169.254/latest/meta-data c1",
                "`169.254.169.254` is an IP address",
            ),
            ("!shared http://0x7f.1/a", "`127.0.0.1` is an IP address"),
            ("!shared https://[::1]/a c1", "`[::1]` is an IP address"),
            (
                "!shared https://intranet/news/1 c1",
                "`intranet` is a local or reserved name",
            ),
            ("!shared ngo.org c1", "the home page of `ngo.org`"),
            ("!shared https://x.com/?lang=en c1", "the home page of `x.com`"),
            ("!shared ftp://ngo.org/a c1", "only http and https links count"),
            ("!shared c1 notalink", "it isn't a web link"),
        ];
        for (text, says) in rows {
            let (reply, counted) = answer(&app.handle(&message("bob", text), now()));
            assert!(!counted, "{text}");
            assert!(reply.contains(says), "{text}: {reply}");
            assert!(!reply.contains("should start with"), "{text}: {reply}");
        }
        assert_eq!(totals(store, "bob"), (0, 0));
    });
}
