//! Tests of the `post add` grammar, through the public parser so that line numbers are the message's.

use super::*;
use crate::command::{parse, Command};
use crate::domain::Network;
use chrono::NaiveTime;
use ParseErrorKind as K;
use PostProblem as P;

fn post_add_of(fields: &str) -> Result<NewPost, ParseError> {
    match parse(&format!("!post add\n{fields}"), "!") {
        Some(Ok(Command::PostAdd(new))) => Ok(*new),
        Some(Ok(other)) => panic!("not a post add: {other:?}"),
        Some(Err(e)) => Err(e),
        None => panic!("not addressed"),
    }
}

fn minimal(extra: &str) -> String {
    format!("title: River day\nlink: https://example.org/river\ntext.en: Join us!\n{extra}")
}

fn expected_minimal() -> NewPost {
    NewPost {
        title: "River day".into(),
        link: "https://example.org/river".into(),
        texts: BTreeMap::from([(Lang::En, "Join us!".to_string())]),
        captions: vec![],
        hashtags: vec![],
        campaign: None,
        intent: Intent::Awareness,
        kind: NewKind::Hot { expires: None },
        publish: None,
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn post_add_reads_every_field() {
    let message = "TITLE: River clean-up day
link: <https://example.org/river>
text.en: Join us on Saturday
  to clean the river banks!
text.FR : Rejoignez-nous samedi

caption.x: Saturday, river clean-up 🌊
caption.linkedin.fr: Samedi, nous nettoyons les berges.
hashtags: #rivers, volunteering #rivers
campaign: rivers-2026
intent: Action
kind: hot
expires: 2026-11-30 18:00
publish: 2026-11-23";
    let want = NewPost {
        title: "River clean-up day".into(),
        link: "https://example.org/river".into(),
        texts: BTreeMap::from([
            (Lang::En, "Join us on Saturday\nto clean the river banks!".to_string()),
            (Lang::Fr, "Rejoignez-nous samedi".to_string()),
        ]),
        captions: vec![
            Caption {
                network: Network::X,
                lang: None,
                text: "Saturday, river clean-up 🌊".into(),
            },
            Caption {
                network: Network::LinkedIn,
                lang: Some(Lang::Fr),
                text: "Samedi, nous nettoyons les berges.".into(),
            },
        ],
        hashtags: vec!["rivers".into(), "volunteering".into()],
        campaign: Some("rivers-2026".into()),
        intent: Intent::Action,
        kind: NewKind::Hot {
            expires: Some(day(2026, 11, 30).and_time(NaiveTime::from_hms_opt(18, 0, 0).unwrap())),
        },
        publish: Some(day(2026, 11, 23)),
    };
    assert_eq!(post_add_of(message), Ok(want));
}

#[test]
fn post_add_defaults_and_variants() {
    let with = |f: fn(&mut NewPost)| {
        let mut want = expected_minimal();
        f(&mut want);
        Ok(want)
    };
    let rows: Vec<(String, Result<NewPost, ParseError>)> = vec![
        (minimal(""), Ok(expected_minimal())),
        (
            "title: River day\r\nlink: https://example.org/river\r\n\r\ntext.en: Join us!\r\n".to_string(),
            Ok(expected_minimal()),
        ),
        (minimal("kind: evergreen"), with(|p| p.kind = NewKind::Evergreen)),
        (
            minimal("kind: HOT\nexpires: 2026-11-30"),
            with(|p| {
                p.kind = NewKind::Hot {
                    expires: day(2026, 11, 30).and_hms_opt(23, 59, 59),
                }
            }),
        ),
        (
            minimal("expires: 2026-11-30T8h30"),
            with(|p| {
                p.kind = NewKind::Hot {
                    expires: day(2026, 11, 30).and_hms_opt(8, 30, 0),
                }
            }),
        ),
        (
            minimal("caption.twitter.pt-BR: Olá"),
            with(|p| {
                p.captions = vec![Caption {
                    network: Network::X,
                    lang: Some(Lang::PtBr),
                    text: "Olá".into(),
                }]
            }),
        ),
        (minimal("hashtags:"), Ok(expected_minimal())),
        (
            minimal("  Note: bring gloves"),
            with(|p| {
                p.texts.insert(Lang::En, "Join us!\nNote: bring gloves".into());
            }),
        ),
        (
            "title:River day\nlink:x.com/ngo\ntext.en:\n Join us!".to_string(),
            with(|p| p.link = "https://x.com/ngo".into()),
        ),
        (
            minimal("campaign: spring\n  and summer"),
            with(|p| p.campaign = Some("spring\nand summer".into())),
        ),
    ];
    for (fields, want) in rows {
        assert_eq!(post_add_of(&fields), want, "{fields:?}");
    }
}

#[test]
fn post_add_reports_each_error_with_its_line() {
    let t = |s: &str| s.to_string();
    let bad = |line, field: &str, value: &str, expected| P::BadValue {
        line,
        field: t(field),
        value: t(value),
        expected,
    };
    let rows: Vec<(String, PostProblem)> = vec![
        (t("title: A\ntext.en: B"), P::MissingField { field: "link" }),
        (t("title: A\nlink: https://a.org"), P::MissingField { field: "text" }),
        (t("link: https://a.org\ntext.en: B"), P::MissingField { field: "title" }),
        (
            minimal("titel: B"),
            P::UnknownField {
                line: 5,
                field: t("titel"),
                suggestion: Some(t("title")),
            },
        ),
        (
            minimal("url: https://b.org"),
            P::UnknownField {
                line: 5,
                field: t("url"),
                suggestion: Some(t("link")),
            },
        ),
        (
            minimal("txt.fr: Bonjour"),
            P::UnknownField {
                line: 5,
                field: t("txt.fr"),
                suggestion: Some(t("text.LANG")),
            },
        ),
        (
            minimal("text: Hello"),
            P::UnknownField {
                line: 5,
                field: t("text"),
                suggestion: Some(t("text.LANG")),
            },
        ),
        (
            minimal("caption: Hi"),
            P::UnknownField {
                line: 5,
                field: t("caption"),
                suggestion: Some(t("caption.NETWORK")),
            },
        ),
        (
            minimal("Weather: fine"),
            P::UnknownField {
                line: 5,
                field: t("weather"),
                suggestion: None,
            },
        ),
        (
            minimal("\n\ntitle: Again"),
            P::DuplicateField {
                line: 7,
                field: t("title"),
            },
        ),
        (
            minimal("text.EN: Again"),
            P::DuplicateField {
                line: 5,
                field: t("text.en"),
            },
        ),
        (
            minimal("caption.x: a\ncaption.twitter: b"),
            P::DuplicateField {
                line: 6,
                field: t("caption.twitter"),
            },
        ),
        (
            t("title: A\nlink: not a link\ntext.en: B"),
            bad(3, "link", "not a link", "url"),
        ),
        (
            t("title: A\nlink: ftp://a.org\ntext.en: B"),
            bad(3, "link", "ftp://a.org", "url"),
        ),
        (
            t("title:\nlink: https://a.org\ntext.en: B"),
            bad(2, "title", "", "text"),
        ),
        (minimal("text.de: Hallo"), bad(5, "text.de", "de", "lang")),
        (
            minimal("caption.myspace: Hi"),
            bad(5, "caption.myspace", "myspace", "network"),
        ),
        (minimal("caption.x.xx: Hi"), bad(5, "caption.x.xx", "xx", "lang")),
        (minimal("caption.x:"), bad(5, "caption.x", "", "text")),
        (
            minimal("intent: fundraising"),
            bad(5, "intent", "fundraising", "intent"),
        ),
        (minimal("kind: lukewarm"), bad(5, "kind", "lukewarm", "kind")),
        (minimal("expires: soon"), bad(5, "expires", "soon", "datetime")),
        (
            minimal("expires: 2026-11-30 25:00"),
            bad(5, "expires", "2026-11-30 25:00", "datetime"),
        ),
        (minimal("publish: 2026-02-30"), bad(5, "publish", "2026-02-30", "date")),
        (
            minimal("expires: 2026-11-30\nkind: evergreen"),
            P::ExpiresEvergreen { line: 5 },
        ),
        (
            minimal("légende: Hi"),
            P::UnknownField {
                line: 5,
                field: t("légende"),
                suggestion: None,
            },
        ),
        (
            minimal("text fr: Salut"),
            P::UnknownField {
                line: 5,
                field: t("text fr"),
                suggestion: Some(t("text.fr")),
            },
        ),
    ];
    for (fields, want) in rows {
        let got = post_add_of(&fields);
        let want = K::PostInvalid {
            problems: vec![want],
            more: 0,
        };
        assert_eq!(got, Err(ParseError::new("post add", want)), "{fields:?}");
    }
}

/// Issue 17: every problem of a post is reported at once, in line order, then the missing fields.
#[test]
fn issue17_post_add_reports_every_problem_at_once() {
    let t = |s: &str| s.to_string();
    let missing = |field| P::MissingField { field };
    let rows: Vec<(&str, Vec<PostProblem>)> = vec![
        ("", vec![missing("title"), missing("link"), missing("text")]),
        (
            "Just some text",
            vec![
                P::UnknownField {
                    line: 2,
                    field: t("Just some text"),
                    suggestion: None,
                },
                missing("title"),
                missing("link"),
                missing("text"),
            ],
        ),
        (
            "title: A\nkind: evergreen\nexpires: 2026-12-30 10:00\ntext.de: Hallo\nurl: https://a.org\nintent: sell",
            vec![
                P::ExpiresEvergreen { line: 4 },
                P::BadValue {
                    line: 5,
                    field: t("text.de"),
                    value: t("de"),
                    expected: "lang",
                },
                P::UnknownField {
                    line: 6,
                    field: t("url"),
                    suggestion: Some(t("link")),
                },
                P::BadValue {
                    line: 7,
                    field: t("intent"),
                    value: t("sell"),
                    expected: "intent",
                },
                missing("link"),
                missing("text"),
            ],
        ),
    ];
    for (fields, want) in rows {
        let want = K::PostInvalid {
            problems: want,
            more: 0,
        };
        assert_eq!(
            post_add_of(fields),
            Err(ParseError::new("post add", want)),
            "{fields:?}"
        );
    }
}

/// A message of thousands of bad lines lists the first problems and counts the others.
#[test]
fn issue17_post_add_lists_at_most_a_few_problems() {
    let fields = "titel: x\n".repeat(25);
    let Err(ParseError {
        kind: K::PostInvalid { problems, more },
        ..
    }) = post_add_of(&fields)
    else {
        panic!("25 unknown fields are an error");
    };
    assert_eq!(problems.len(), MAX_POST_PROBLEMS);
    assert_eq!(more, 25 + 3 - MAX_POST_PROBLEMS, "25 unknown fields and 3 missing ones");
}

#[test]
fn keys_need_a_letter_first_and_no_url_after_the_colon() {
    let rows = [
        ("title: A", Some(("title", " A"))),
        ("Title : A", Some(("Title", " A"))),
        ("link:https://a.org", Some(("link", "https://a.org"))),
        ("https://a.org/x", None),
        ("10:30 meet at the bridge", None),
        ("légende : A", Some(("légende", " A"))),
        ("text en: A", Some(("text en", " A"))),
        ("Saturday at noon: meet", None),
        ("no colon here", None),
        ("title", None),
        ("", None),
    ];
    for (line, want) in rows {
        assert_eq!(split_key(line), want, "{line:?}");
    }
}
