//! Grammar of `shared URL [ITEM]`: claiming a reshare. The item may also come first (`shared c12 URL`).
//! The link is only unwrapped here (`<…>`, `[label](…)`): whether it is a post on a public site is
//! the link module's question, so that a refused link gets its real reason.

use super::error::{echo, ParseError, ParseErrorKind};
use super::grammar::expect_end;
use super::tokens::{unwrap_link, Words};
use super::values::item_id;
use super::Command;

/// `shared URL [ITEM]` or `shared ITEM URL`.
pub(super) fn shared(mut args: Words<'_>) -> Result<Command, ParseError> {
    let err = |kind| ParseError::new("shared", kind);
    let Some(first) = args.next() else {
        return Err(err(ParseErrorKind::MissingArgument { what: "URL" }));
    };
    let second = args.next();
    expect_end("shared", args)?;
    let (url_text, item_text) = match second {
        None if item_id(first).is_some() => return Err(err(ParseErrorKind::MissingArgument { what: "URL" })),
        None => (first, None),
        Some(second) if looks_like_url(first) || (!looks_like_url(second) && item_id(first).is_none()) => {
            (first, Some(second))
        }
        Some(second) => (second, Some(first)),
    };
    let url = unwrap_link(url_text);
    if url.is_empty() {
        return Err(err(ParseErrorKind::InvalidUrl { text: echo(url_text) }));
    }
    let item = match item_text {
        None => None,
        Some(text) => Some(item_id(text).ok_or_else(|| err(ParseErrorKind::InvalidItem { text: echo(text) }))?),
    };
    Ok(Command::Shared {
        url: url.to_string(),
        item,
    })
}

/// Whether a word is meant as a link (so that the other word is the item, right or wrong).
fn looks_like_url(word: &str) -> bool {
    word.contains("://") || word.starts_with(['<', '[']) || word.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ItemId;
    use ParseErrorKind as K;

    fn shared_ok(url: &str, item: Option<u32>) -> Result<Command, ParseErrorKind> {
        Ok(Command::Shared {
            url: url.into(),
            item: item.map(ItemId),
        })
    }

    #[test]
    fn shared_takes_a_link_and_an_item_in_either_order() {
        let x = "https://x.com/ngo/status/1";
        let rows: Vec<(&str, Result<Command, ParseErrorKind>)> = vec![
            ("https://x.com/ngo/status/1", shared_ok(x, None)),
            ("https://x.com/ngo/status/1 c12", shared_ok(x, Some(12))),
            ("c12 https://x.com/ngo/status/1", shared_ok(x, Some(12))),
            ("#C7 <https://x.com/ngo/status/1>", shared_ok(x, Some(7))),
            ("[my post](https://x.com/ngo/status/1) c3", shared_ok(x, Some(3))),
            ("x.com/ngo/status/1", shared_ok("x.com/ngo/status/1", None)),
            ("", Err(K::MissingArgument { what: "URL" })),
            ("c12", Err(K::MissingArgument { what: "URL" })),
            ("<> c1", Err(K::InvalidUrl { text: "<>".into() })),
            // Checked by the app, which says what is wrong with them (issue 17).
            ("notaurl", shared_ok("notaurl", None)),
            ("ftp://x.com/a c1", shared_ok("ftp://x.com/a", Some(1))),
            (
                "https://localhost:8443/a c1",
                shared_ok("https://localhost:8443/a", Some(1)),
            ),
            ("https://x.com/a 12", Err(K::InvalidItem { text: "12".into() })),
            ("12 https://x.com/a", Err(K::InvalidItem { text: "12".into() })),
            ("c1 c2", shared_ok("c2", Some(1))),
            (
                "https://x.com/a c1 extra words",
                Err(K::UnexpectedArgument {
                    extra: "extra words".into(),
                }),
            ),
        ];
        for (args, want) in rows {
            let got = shared(Words::new(args)).map_err(|e| {
                assert_eq!(e.command, Some("shared"), "{args:?}");
                e.kind
            });
            assert_eq!(got, want, "{args:?}");
        }
    }
}
