//! Tests for share kits: exact links, caption precedence, hashtags, UTM, encoding, shortening, privacy.

use super::*;
use crate::domain::{AmbassadorId, Caption, Identity, Intent, ItemKind, ItemStatus, Platform, Prefs, Role};
use chrono::{DateTime, NaiveDate, Utc};
use percent_encoding::percent_decode_str;
use std::collections::{BTreeMap, HashMap};

mod encoding;

const FR_TEXT: &str = "Aidez-nous à garder les refuges ouverts cet hiver !";
const EN_TEXT: &str = "Help us keep shelters open this winter!";

fn item() -> Item {
    Item {
        id: ItemId(7),
        title: "Winter appeal".into(),
        link: "https://ngo.org/appeal?ref=home".into(),
        texts: BTreeMap::from([(Lang::En, EN_TEXT.to_string()), (Lang::Fr, FR_TEXT.to_string())]),
        captions: Vec::new(),
        hashtags: vec!["Hiver".into()],
        campaign: Some("winter-24".into()),
        intent: Intent::Action,
        kind: ItemKind::Evergreen,
        publish: NaiveDate::from_ymd_opt(2024, 11, 20).unwrap_or_default(),
        status: ItemStatus::Approved,
        created_by: AmbassadorId(1),
        created_at: DateTime::<Utc>::from_timestamp(1_732_000_000, 0).unwrap_or_default(),
    }
}

fn ambassador(mastodon_instance: Option<&str>) -> Ambassador {
    Ambassador {
        id: AmbassadorId(424242),
        code: "k7f2".into(),
        display_name: "Alice Martin".into(),
        identities: vec![
            Identity::new(Platform::Matrix, "@alice:example.org"),
            Identity::new(Platform::Discord, "123456789012345678"),
        ],
        lang: Lang::Fr,
        tz: "Europe/Paris".into(),
        role: Role::Ambassador,
        prefs: Prefs {
            mastodon_instance: mastodon_instance.map(String::from),
            ..Prefs::default()
        },
        joined_at: DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
    }
}

fn link_of(kit: &ShareKit, target: ShareTarget) -> Option<&str> {
    kit.links.iter().find(|l| l.target == target).map(|l| l.url.as_str())
}

/// The decoded `text` parameter of a target's link.
fn text_param(kit: &ShareKit, target: ShareTarget) -> Option<String> {
    link_of(kit, target)
        .map(query_of)
        .and_then(|mut query| query.remove("text"))
}

/// The query of a share link, decoded.
fn query_of(url: &str) -> HashMap<String, String> {
    Url::parse(url)
        .map(|u| u.query_pairs().into_owned().collect())
        .unwrap_or_default()
}

#[test]
fn every_target_has_its_exact_url() {
    const TEXT: &str = "Aidez-nous%20%C3%A0%20garder%20les%20refuges%20ouverts%20cet%20hiver%20%21%20%23Hiver";
    let link = |source: &str| {
        format!(
            "https%3A%2F%2Fngo.org%2Fappeal%3Fref%3Dhome%26utm_source%3D{source}%26utm_medium%3Dambassador\
             %26utm_campaign%3Dwinter-24%26utm_content%3Dk7f2"
        )
    };
    let kit = share_kit(&item(), &ambassador(Some("mastodon.green")), Lang::En);
    let want = [
        (
            ShareTarget::X,
            format!("https://x.com/intent/tweet?text={TEXT}&url={}", link("x")),
        ),
        (
            ShareTarget::LinkedIn,
            format!(
                "https://www.linkedin.com/sharing/share-offsite/?url={}",
                link("linkedin")
            ),
        ),
        (
            ShareTarget::Facebook,
            format!("https://www.facebook.com/sharer/sharer.php?u={}", link("facebook")),
        ),
        (
            ShareTarget::Bluesky,
            format!("https://bsky.app/intent/compose?text={TEXT}%20{}", link("bluesky")),
        ),
        (
            ShareTarget::Mastodon,
            format!("https://mastodon.green/share?text={TEXT}%20{}", link("mastodon")),
        ),
        (
            ShareTarget::WhatsApp,
            format!("https://wa.me/?text={TEXT}%20{}", link("whatsapp")),
        ),
        (
            ShareTarget::Telegram,
            format!("https://t.me/share/url?url={}&text={TEXT}", link("telegram")),
        ),
        (
            ShareTarget::Email,
            format!(
                "mailto:?subject=Winter%20appeal&body={TEXT}%0D%0A%0D%0A{}",
                link("email")
            ),
        ),
    ];
    let got: Vec<_> = kit.links.iter().map(|l| (l.target, l.url.clone())).collect();
    assert_eq!(got, want);
    assert_eq!(kit.item, ItemId(7));
    assert_eq!(kit.lang, Lang::Fr);
    assert_eq!(kit.text, format!("{FR_TEXT} #Hiver"));
    let copy =
        "https://ngo.org/appeal?ref=home&utm_source=copy&utm_medium=ambassador&utm_campaign=winter-24&utm_content=k7f2";
    assert_eq!(kit.tracked_link, copy);
}

#[test]
fn targets_have_distinct_keys_and_names() {
    let rows = [
        (ShareTarget::X, "x", "X"),
        (ShareTarget::LinkedIn, "linkedin", "LinkedIn"),
        (ShareTarget::Facebook, "facebook", "Facebook"),
        (ShareTarget::Bluesky, "bluesky", "Bluesky"),
        (ShareTarget::Mastodon, "mastodon", "Mastodon"),
        (ShareTarget::WhatsApp, "whatsapp", "WhatsApp"),
        (ShareTarget::Telegram, "telegram", "Telegram"),
        (ShareTarget::Email, "email", "E-mail"),
    ];
    assert_eq!(rows.map(|r| r.0), ShareTarget::ALL);
    for (target, key, name) in rows {
        assert_eq!(
            (target.key(), target.name(), target.to_string().as_str()),
            (key, name, name),
            "row {target:?}"
        );
    }
}

/// `(captions, texts, ambassador's language, fallback, target, expected text)`
type CaptionRow<'a> = (
    &'a [Caption],
    &'a BTreeMap<Lang, String>,
    Lang,
    Lang,
    ShareTarget,
    &'a str,
);

#[test]
fn captions_take_precedence_over_texts_in_order() {
    use {Lang as L, ShareTarget as T};
    let caption = |network, lang, text: &str| Caption {
        network,
        lang,
        text: text.into(),
    };
    let texts = |pairs: &[(Lang, &str)]| {
        pairs
            .iter()
            .map(|(l, t)| (*l, t.to_string()))
            .collect::<BTreeMap<_, _>>()
    };
    let x_any_and_fr = [
        caption(Network::X, Some(L::Fr), "x-fr"),
        caption(Network::X, None, "x-any"),
    ];
    let x_en = [caption(Network::X, Some(L::En), "x-en")];
    let linkedin = [caption(Network::LinkedIn, None, "li")];
    let (fr_en, en_es) = (
        texts(&[(L::Fr, "fr"), (L::En, "en")]),
        texts(&[(L::En, "en"), (L::Es, "es")]),
    );
    let (en_pt, pt) = (texts(&[(L::En, "en"), (L::PtBr, "pt")]), texts(&[(L::PtBr, "pt")]));
    // Issue 17: a pt-PT reader gets the pt-BR text or caption before the organisation's language.
    let pt_br_fr = texts(&[(L::PtBr, "pt-br"), (L::Fr, "fr")]);
    let x_br = [
        caption(Network::X, Some(L::PtBr), "x-br"),
        caption(Network::X, None, "x-any"),
    ];
    let rows: [CaptionRow; 12] = [
        (&[], &pt_br_fr, L::PtPt, L::Fr, T::Bluesky, "pt-br"),
        (&x_br, &pt_br_fr, L::PtPt, L::Fr, T::X, "x-br"),
        (&x_br, &pt_br_fr, L::Es, L::Fr, T::X, "x-any"),
        (&x_any_and_fr, &fr_en, L::Fr, L::En, T::X, "x-fr"),
        (&x_any_and_fr, &fr_en, L::Es, L::En, T::X, "x-any"),
        (&x_any_and_fr, &fr_en, L::Fr, L::En, T::Bluesky, "fr"),
        (&x_any_and_fr, &fr_en, L::Fr, L::En, T::Email, "fr"),
        (&x_en, &fr_en, L::Fr, L::En, T::X, "fr"),
        (&linkedin, &fr_en, L::Fr, L::En, T::LinkedIn, "li"),
        (&[], &en_es, L::Fr, L::Es, T::X, "es"),
        (&[], &en_pt, L::Fr, L::Ca, T::X, "en"),
        (&[], &pt, L::Fr, L::Ca, T::X, "pt"),
    ];
    for (captions, texts, lang, fallback, target, want) in rows {
        let item = Item {
            captions: captions.to_vec(),
            texts: texts.clone(),
            hashtags: Vec::new(),
            ..item()
        };
        let got = target_text(target, &item, lang, fallback);
        assert_eq!(got, want, "row {target:?} {lang} {fallback} {captions:?} {texts:?}");
    }
    let item = Item {
        captions: x_any_and_fr.to_vec(),
        ..item()
    };
    let kit = share_kit(&item, &ambassador(None), Lang::En);
    assert_eq!(text_param(&kit, ShareTarget::X).as_deref(), Some("x-fr #Hiver"));
}

#[test]
fn share_kit_language_is_the_language_of_its_text() {
    let rows = [
        (Lang::Fr, Lang::En, Lang::Fr),
        (Lang::Es, Lang::Fr, Lang::Fr),
        (Lang::Es, Lang::PtBr, Lang::En),
    ];
    for (lang, fallback, want) in rows {
        let kit = share_kit(
            &item(),
            &Ambassador {
                lang,
                ..ambassador(None)
            },
            fallback,
        );
        assert_eq!(kit.lang, want, "row {lang} {fallback}");
    }
}

#[test]
fn hashtags_are_appended_once() {
    let rows: &[(&str, &[&str], &str)] = &[
        ("Join us", &["climate"], "Join us #climate"),
        ("Join us #Climate", &["climate"], "Join us #Climate"),
        (
            "Join us #ClimateAction",
            &["climate"],
            "Join us #ClimateAction #climate",
        ),
        ("Join us\n", &["#climate", "climate", "Climate"], "Join us #climate"),
        ("", &["a", "b"], "#a #b"),
        ("Join the #non-profit day", &["non-profit"], "Join the #non-profit day"),
        ("Join us", &["", "  ", "#"], "Join us"),
        ("#ÉtéSolidaire ici", &["étésolidaire"], "#ÉtéSolidaire ici"),
    ];
    for (text, tags, want) in rows {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        assert_eq!(with_hashtags(text, &tags), *want, "row {text:?} {tags:?}");
    }
    let item = Item {
        hashtags: vec!["hiver".into(), "Refuges".into()],
        ..item()
    };
    let item = Item {
        texts: BTreeMap::from([(Lang::Fr, "Cet #Hiver, aidez les #refuges".to_string())]),
        ..item
    };
    let kit = share_kit(&item, &ambassador(None), Lang::En);
    assert_eq!(kit.text, "Cet #Hiver, aidez les #refuges");
}

#[test]
fn links_carry_the_code_and_never_an_identity_or_a_name() {
    let kit = share_kit(&item(), &ambassador(Some("mastodon.green")), Lang::En);
    let urls = kit
        .links
        .iter()
        .map(|l| l.url.as_str())
        .chain([kit.tracked_link.as_str()]);
    for url in urls {
        let decoded = percent_decode_str(url).decode_utf8_lossy().to_lowercase();
        let decoded = percent_decode_str(&decoded).decode_utf8_lossy().into_owned();
        for secret in [
            "alice",
            "martin",
            "@alice:example.org",
            "123456789012345678",
            "424242",
            "example.org",
        ] {
            assert!(!decoded.contains(secret), "{secret:?} in {url}");
        }
        assert!(decoded.contains("utm_content=k7f2"), "no code in {url}");
    }
}

#[test]
fn mastodon_link_needs_a_usable_instance() {
    let rows = [
        (None, None),
        (Some(""), None),
        (Some("mastodon.green"), Some("https://mastodon.green/share?text=")),
        (
            Some(" https://Mastodon.Social/ "),
            Some("https://mastodon.social/share?text="),
        ),
        (
            Some("@me@piaf.example.org"),
            Some("https://piaf.example.org/share?text="),
        ),
        (Some("evil.example/phish?x="), None),
        (Some("localhost"), None),
    ];
    for (instance, want_prefix) in rows {
        let kit = share_kit(&item(), &ambassador(instance), Lang::En);
        let mastodon = link_of(&kit, ShareTarget::Mastodon);
        assert_eq!(
            mastodon.is_some(),
            want_prefix.is_some(),
            "row {instance:?}: {mastodon:?}"
        );
        assert!(
            mastodon
                .zip(want_prefix)
                .is_none_or(|(url, prefix)| url.starts_with(prefix)),
            "row {instance:?}"
        );
        assert_eq!(
            kit.links.len(),
            if want_prefix.is_some() { 8 } else { 7 },
            "row {instance:?}"
        );
    }
}
