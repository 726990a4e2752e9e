//! Tests for share-kit encoding: UTM parameters, Unicode and reserved characters, shortening.

use super::*;

#[test]
fn tracked_links_replace_utm_parameters_and_keep_the_rest() {
    let utm = |source: &str, campaign: &str| {
        format!("utm_source={source}&utm_medium=ambassador&utm_campaign={campaign}&utm_content=k7f2")
    };
    let rows: Vec<(&str, &str, Option<&str>, String)> = vec![
        (
            "https://ngo.org/appeal",
            "x",
            Some("winter"),
            format!("https://ngo.org/appeal?{}", utm("x", "winter")),
        ),
        (
            "https://ngo.org/a?utm_source=newsletter&id=3&UTM_Medium=email#donate",
            "linkedin",
            None,
            format!("https://ngo.org/a?id=3&{}#donate", utm("linkedin", "relais")),
        ),
        (
            "https://ngo.org",
            "email",
            Some("  "),
            format!("https://ngo.org/?{}", utm("email", "relais")),
        ),
        (
            "https://ngo.org/a?b=1",
            "x",
            Some("Winter appeal & more"),
            format!("https://ngo.org/a?b=1&{}", utm("x", "Winter%20appeal%20%26%20more")),
        ),
        ("not a link", "x", None, "not a link".into()),
        ("ngo.org/appeal", "x", None, "ngo.org/appeal".into()),
        ("mailto:team@ngo.org", "x", None, "mailto:team@ngo.org".into()),
    ];
    for (link, source, campaign, want) in rows {
        assert_eq!(
            tracked_link(link, source, campaign, "k7f2"),
            want,
            "row {link:?} {source} {campaign:?}"
        );
    }
}

#[test]
fn unicode_and_reserved_characters_survive_encoding() {
    let text = "Ça marche ? Oui & non #1 — 🎉 100% + plus = 👍🏽";
    let item = Item {
        title: "Été & co ? #2".into(),
        link: "https://ngo.org/é?q=a+b&x=1#frag".into(),
        texts: BTreeMap::from([(Lang::Fr, text.to_string())]),
        hashtags: Vec::new(),
        ..item()
    };
    let kit = share_kit(&item, &ambassador(Some("mastodon.green")), Lang::En);
    let tracked = |target: ShareTarget| tracked_link(&item.link, target.key(), Some("winter-24"), "k7f2");
    let with_link = |target| format!("{text} {}", tracked(target));
    let rows: Vec<(ShareTarget, Vec<(&str, String)>)> = vec![
        (
            ShareTarget::X,
            vec![("text", text.into()), ("url", tracked(ShareTarget::X))],
        ),
        (ShareTarget::LinkedIn, vec![("url", tracked(ShareTarget::LinkedIn))]),
        (ShareTarget::Facebook, vec![("u", tracked(ShareTarget::Facebook))]),
        (ShareTarget::Bluesky, vec![("text", with_link(ShareTarget::Bluesky))]),
        (ShareTarget::Mastodon, vec![("text", with_link(ShareTarget::Mastodon))]),
        (ShareTarget::WhatsApp, vec![("text", with_link(ShareTarget::WhatsApp))]),
        (
            ShareTarget::Telegram,
            vec![("url", tracked(ShareTarget::Telegram)), ("text", text.into())],
        ),
        (
            ShareTarget::Email,
            vec![
                ("subject", item.title.clone()),
                ("body", format!("{text}\r\n\r\n{}", tracked(ShareTarget::Email))),
            ],
        ),
    ];
    assert!(
        tracked(ShareTarget::X).ends_with("#frag"),
        "{}",
        tracked(ShareTarget::X)
    );
    for (target, want) in rows {
        let url = link_of(&kit, target).unwrap_or_default();
        assert!(
            !url.contains(['+', ' ', '#']) && url.is_ascii(),
            "row {target:?}: {url}"
        );
        let want: HashMap<String, String> = want.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        assert_eq!(query_of(url), want, "row {target:?}: {url}");
    }
}

#[test]
fn shortening_respects_limits_and_never_splits_a_character() {
    let texts = [
        "é".repeat(400),
        "👍🏽".repeat(200),
        "mot ".repeat(100),
        "a".repeat(256),
        "a".repeat(257),
        format!("{} {}", "b".repeat(250), "c".repeat(30)),
        "short".to_string(),
    ];
    for text in texts {
        let item = Item {
            texts: BTreeMap::from([(Lang::Fr, text.clone())]),
            hashtags: Vec::new(),
            ..item()
        };
        let kit = share_kit(&item, &ambassador(None), Lang::En);
        let x_text = text_param(&kit, ShareTarget::X).unwrap_or_default();
        let bluesky_link = tracked_link(&item.link, "bluesky", item.campaign.as_deref(), "k7f2");
        let bluesky = text_param(&kit, ShareTarget::Bluesky).unwrap_or_default();
        let bluesky_text = bluesky
            .strip_suffix(&format!(" {bluesky_link}"))
            .unwrap_or("<link missing>");
        for (got, limit) in [
            (x_text.as_str(), X_MAX_CHARS - X_LINK_CHARS),
            (bluesky_text, 299 - bluesky_link.len()),
        ] {
            assert!(
                got.chars().count() <= limit,
                "{} chars > {limit}: {got:?}",
                got.chars().count()
            );
            match got.strip_suffix('…') {
                Some(head) if text.chars().count() > limit => assert!(text.starts_with(head), "{got:?}"),
                _ => assert_eq!(got, text, "a text within {limit} chars is kept whole"),
            }
        }
        assert!(bluesky.chars().count() <= BLUESKY_MAX_CHARS, "{bluesky:?}");
    }
    let rows = [
        ("abc", 3, "abc"),
        ("abcd", 3, "ab…"),
        ("abcd", 0, ""),
        ("ab cd", 4, "ab…"),
        ("  abcdef", 5, "  ab…"),
    ];
    for (text, max, want) in rows {
        assert_eq!(shorten(text, max), want, "row {text:?} {max}");
    }
}

proptest::proptest! {
    #[test]
    fn any_text_and_link_give_links_within_limits(text in ".{0,400}", link in ".{0,60}", code in "[a-z0-9]{0,8}") {
        let item = Item { link, texts: BTreeMap::from([(Lang::Fr, text)]), ..item() };
        let kit = share_kit(&item, &Ambassador { code, ..ambassador(Some("mastodon.green")) }, Lang::En);
        let x_text = text_param(&kit, ShareTarget::X).unwrap_or_default();
        proptest::prop_assert!(x_text.chars().count() <= X_MAX_CHARS - X_LINK_CHARS, "{x_text:?}");
        let bluesky = text_param(&kit, ShareTarget::Bluesky).unwrap_or_default();
        proptest::prop_assert!(bluesky.chars().count() <= BLUESKY_MAX_CHARS, "{bluesky:?}");
        proptest::prop_assert_eq!(kit.links.len(), ShareTarget::ALL.len());
        for link in &kit.links {
            proptest::prop_assert!(Url::parse(&link.url).is_ok() && link.url.is_ascii(), "{link:?}");
        }
    }
}
