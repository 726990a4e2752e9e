//! Rendering a prompt at run time: the asked language, then English, then a bracketed key. Never panics.

use super::escape::MARKUP_KEY;
use super::Prompts;
use crate::domain::Lang;
use minijinja::Value;

impl Prompts {
    /// The text for `key` in `lang`, rendered with `ctx` (lenient: a missing variable prints as nothing).
    /// Every value is escaped as Markdown text where the template prints it, except markup the core
    /// marked with [`markup`](super::escape::markup).
    ///
    /// Falls back to English when `lang` lacks the key or its template fails (the failure is logged), and
    /// to `[key]` when nothing works. Trailing whitespace is trimmed.
    pub fn render(&self, lang: Lang, key: &str, ctx: &serde_json::Value) -> String {
        let context = context(ctx);
        let candidates: &[Lang] = if lang != Lang::En && self.has(lang, key) {
            &[lang, Lang::En]
        } else {
            &[Lang::En]
        };
        for candidate in candidates {
            let Some(locale) = self.locales.get(candidate) else {
                continue;
            };
            let Ok(template) = locale.env.get_template(key) else {
                continue;
            };
            match template.render(&context) {
                Ok(text) => return text.trim_end().to_string(),
                Err(error) => tracing::error!(lang = %candidate, key, error = %error, "a prompt failed to render"),
            }
        }
        if !self.has(Lang::En, key) {
            tracing::error!(lang = %lang, key, "no prompt has this key");
        }
        format!("[{key}]")
    }

    /// Whether `lang` itself defines `key` (without the English fallback).
    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.locales
            .get(&lang)
            .is_some_and(|locale| locale.own.contains_key(key))
    }
}

/// `ctx` as a template context, with the values marked as markup made safe strings (printed as is).
pub(super) fn context(ctx: &serde_json::Value) -> Value {
    use serde_json::Value as Json;
    match ctx {
        Json::Null => Value::from(()),
        Json::Bool(b) => Value::from(*b),
        Json::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Value::from(i),
            (None, Some(u)) => Value::from(u),
            (None, None) => Value::from(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::from(s.as_str()),
        Json::Array(items) => items.iter().map(context).collect(),
        Json::Object(map) => match map.get(MARKUP_KEY) {
            Some(Json::String(markup)) if map.len() == 1 => Value::from_safe_string(markup.clone()),
            _ => map.iter().map(|(k, v)| (k.as_str(), context(v))).collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::new_environment;
    use super::super::{Locale, Origin, Prompts};
    use crate::domain::Lang;
    use serde_json::json;
    use std::collections::HashMap;
    use std::path::PathBuf;

    /// Prompts built straight from (lang, key, template) rows, without files or checks.
    fn prompts(rows: &[(Lang, &str, &str)]) -> Prompts {
        let mut locales: HashMap<Lang, Locale> = HashMap::new();
        for (lang, key, text) in rows {
            let locale = locales.entry(*lang).or_insert_with(|| Locale {
                lang: *lang,
                env: new_environment(*lang),
                own: HashMap::new(),
            });
            let added = locale.env.add_template_owned(key.to_string(), text.to_string());
            assert!(added.is_ok(), "{key}: {added:?}");
            let origin = Origin {
                file: PathBuf::from("test.toml"),
                line: 1,
                template_lines: vec![1],
            };
            locale.own.insert(key.to_string(), origin);
        }
        Prompts { locales }
    }

    #[test]
    fn render_falls_back_and_never_panics() {
        let prompts = prompts(&[
            (Lang::En, "greet", "Hello {{ name }}!\n\n"),
            (Lang::Fr, "greet", "Bonjour {{ name }} !"),
            (Lang::En, "count", "{{ n + 1 }} items"),
            (Lang::Fr, "count", "{{ n + 1 }} éléments"),
            (Lang::En, "only_en", "English only"),
            (Lang::En, "loop", "{% for x in items %}{{ x.name }} {% endfor %}"),
        ]);
        let rows: &[(Lang, &str, serde_json::Value, &str)] = &[
            (Lang::Fr, "greet", json!({"name": "Ana"}), "Bonjour Ana !"),
            (Lang::En, "greet", json!({"name": "Ana"}), "Hello Ana!"),
            (Lang::Es, "greet", json!({"name": "Ana"}), "Hello Ana!"),
            (Lang::Fr, "greet", json!({}), "Bonjour  !"),
            (Lang::Fr, "only_en", json!({}), "English only"),
            (Lang::Fr, "count", json!({"n": 2}), "3 éléments"),
            (Lang::Fr, "count", json!({"n": "two"}), "[count]"),
            (Lang::Fr, "count", json!({}), "[count]"),
            (Lang::En, "loop", json!({"items": 5}), "[loop]"),
            (Lang::En, "loop", json!({"items": [{"name": "a"}, {}]}), "a"),
            (Lang::PtBr, "missing", json!({}), "[missing]"),
            (Lang::En, "greet", json!([1, 2]), "Hello !"),
            (Lang::En, "greet", json!(null), "Hello !"),
            (Lang::En, "greet", json!("text"), "Hello !"),
        ];
        for (lang, key, ctx, want) in rows {
            let got = prompts.render(*lang, key, ctx);
            assert_eq!(&got, want, "{lang} {key} {ctx}");
        }
    }

    /// Issue 14: every value is escaped where it is printed, whatever the template does with it;
    /// only what the core marks as markup is printed as it is.
    #[test]
    fn issue14_values_are_escaped_wherever_printed() {
        let prompts = prompts(&[
            (Lang::En, "plain", "Hi **{{ name }}**!"),
            (Lang::En, "code", "Try {{ text | code }}."),
            (Lang::En, "link", "{{ link(label, url) }}"),
            (
                Lang::En,
                "loop",
                "{% for r in rows %}{{ loop.index }}. {{ r }}\n{% endfor %}",
            ),
            (
                Lang::En,
                "joined",
                "{{ names | join(', ') }} and {{ names | first | upper }}",
            ),
            (Lang::En, "json", "{{ prefs | tojson }}"),
            (Lang::En, "concat", "{{ name ~ '!' }} {{ 'a_' ~ name }}"),
            (Lang::En, "safe", "{{ name | safe }}"),
            (Lang::En, "nested", "{{ description }}; {{ count }}"),
        ]);
        let evil = "[x](javascript:alert(1)) <b>@room</b>";
        let rows: &[(&str, serde_json::Value, &str)] = &[
            (
                "plain",
                json!({"name": evil}),
                "Hi **\\[x\\](javascript:alert(1)) \\<b>@\u{200B}room\\</b>**!",
            ),
            ("code", json!({"text": "a`b"}), "Try ``a`b``."),
            (
                "link",
                json!({"label": "[X]", "url": "https://e.org/a b"}),
                "[\\[X\\]](https://e.org/a%20b)",
            ),
            ("loop", json!({"rows": ["# a", "- b"]}), "1. \\# a\n2. \\- b"),
            ("joined", json!({"names": ["*a*", "b"]}), "\\*a\\*, b and \\*A\\*"),
            ("json", json!({"prefs": {"x": "<b>"}}), "{\"x\":\"\\<b>\"}"),
            ("concat", json!({"name": "_"}), "\\_! a\\_\\_"),
            ("safe", json!({"name": "*"}), "[safe]"),
            (
                "nested",
                json!({"description": crate::prompts::markup("**bold** `code`"), "count": 3}),
                "**bold** `code`; 3",
            ),
        ];
        for (key, ctx, want) in rows {
            assert_eq!(prompts.render(Lang::En, key, ctx), *want, "{key} {ctx}");
        }
    }

    /// Issue 17: `plural(n, one, other)` follows the rules of the template's own language, and an
    /// English fallback keeps English rules.
    #[test]
    fn issue17_plural_follows_each_language() {
        let template = "{{ n }} {{ plural(n, 'x', 'xs') }}";
        let prompts = prompts(&[
            (Lang::En, "n", template),
            (Lang::Fr, "n", template),
            (Lang::En, "en_only", template),
        ]);
        let rows = [
            (Lang::En, "n", 0, "0 xs"),
            (Lang::En, "n", 1, "1 x"),
            (Lang::En, "n", 2, "2 xs"),
            (Lang::Fr, "n", 0, "0 x"),
            (Lang::Fr, "n", 1, "1 x"),
            (Lang::Fr, "n", 2, "2 xs"),
            (Lang::Fr, "en_only", 0, "0 xs"),
        ];
        for (lang, key, n, want) in rows {
            assert_eq!(prompts.render(lang, key, &json!({ "n": n })), want, "{lang} {key} {n}");
        }
    }

    #[test]
    fn has_sees_only_the_language_itself() {
        let prompts = prompts(&[(Lang::En, "a", "A"), (Lang::Fr, "b", "B")]);
        let rows = [
            (Lang::En, "a", true),
            (Lang::Fr, "a", false),
            (Lang::Fr, "b", true),
            (Lang::Ca, "a", false),
        ];
        for (lang, key, want) in rows {
            assert_eq!(prompts.has(lang, key), want, "{lang} {key}");
        }
    }
}
