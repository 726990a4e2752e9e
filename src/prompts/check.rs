//! Turning what was read into one minijinja environment per language, checking it against the catalog.

use super::catalog::{self, CATALOG};
use super::escape;
use super::load::{RawTemplate, ReadFolder};
use super::{Locale, PromptProblem};
use crate::domain::Lang;
use minijinja::{AutoEscape, Environment, ErrorKind, Output, State, UndefinedBehavior, Value};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Where catalog problems (a sample that is not a JSON object) are reported.
const CATALOG_FILE: &str = "src/prompts/catalog.rs";

/// The environments built and every problem found on the way.
pub(crate) struct Built {
    pub locales: HashMap<Lang, Locale>,
    pub errors: Vec<PromptProblem>,
    pub warnings: Vec<PromptProblem>,
}

/// A fresh environment: Jinja defaults, with every printed value escaped as Markdown text (texts
/// are Markdown, and values come from people) unless the core marked it as markup; the `code`
/// filter prints a value as a whole code span, `link(label, url)` makes a link and
/// `plural(n, one, other)` picks the word that fits the count `n` by `lang`'s rules. There is no
/// `safe` filter: a template cannot turn the escaping off.
pub(crate) fn new_environment(lang: Lang) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Custom("markdown"));
    env.set_formatter(format_value);
    env.remove_filter("safe");
    env.add_filter("code", |value: String| Value::from_safe_string(escape::code(&value)));
    // Plain JSON text, escaped on output like any other value.
    env.add_filter("tojson", |value: Value| {
        serde_json::to_string(&value)
            .map_err(|e| minijinja::Error::new(ErrorKind::InvalidOperation, "cannot serialize to JSON").with_source(e))
    });
    env.add_function("link", |label: String, url: String| {
        Value::from_safe_string(escape::link(&label, &url))
    });
    env.add_function(
        "plural",
        move |n: i64, one: Value, other: Value| {
            if lang.is_singular(n) {
                one
            } else {
                other
            }
        },
    );
    env
}

/// Prints `value`: markup as it is, anything else escaped as Markdown text.
fn format_value(out: &mut Output, _: &State, value: &Value) -> Result<(), minijinja::Error> {
    let text = match value.as_str() {
        Some(markup) if value.is_safe() => return out.write_str(markup).map_err(minijinja::Error::from),
        Some(text) => escape::text(text),
        None => escape::text(&value.to_string()),
    };
    out.write_str(&text).map_err(minijinja::Error::from)
}

/// Builds every language's environment from `read` (taken from `dir`) and checks it.
pub(crate) fn build(dir: &Path, mut read: ReadFolder) -> Built {
    let samples = parse_samples(&mut read.errors);
    let english: Vec<(String, String)> = read
        .locales
        .get(&Lang::En)
        .map(|templates| templates.iter().map(|t| (t.key.clone(), t.text.clone())).collect())
        .unwrap_or_default();
    let mut built = Built {
        locales: HashMap::new(),
        errors: read.errors,
        warnings: read.warnings,
    };
    for lang in Lang::ALL {
        let folder = dir.join(lang.code());
        let raw = read.locales.remove(&lang);
        let has_folder = raw.is_some();
        let (mut locale, unreadable) = compile(lang, raw.unwrap_or_default(), &mut built.errors);
        if !read.broken.contains(&lang) {
            let written = |key: &str| locale.own.contains_key(key) || unreadable.contains(key);
            check_coverage(lang, &folder, has_folder, written, &mut built);
        }
        warn_unknown_keys(&locale, &mut built.warnings);
        add_english_fallbacks(&mut locale, &english);
        check_samples(&mut locale, &samples, &mut built.errors);
        built.locales.insert(lang, locale);
    }
    built
}

/// The catalog's samples as JSON values; a sample that is not a JSON object is an error.
fn parse_samples(errors: &mut Vec<PromptProblem>) -> HashMap<&'static str, serde_json::Value> {
    let mut samples = HashMap::new();
    for entry in CATALOG {
        match serde_json::from_str::<serde_json::Value>(entry.sample) {
            Ok(sample @ serde_json::Value::Object(_)) => {
                samples.insert(entry.key, sample);
            }
            Ok(_) => errors.push(catalog_problem(entry.key, "is not a JSON object".to_string())),
            Err(error) => errors.push(catalog_problem(entry.key, format!("is not valid JSON: {error}"))),
        }
    }
    samples
}

fn catalog_problem(key: &str, what: String) -> PromptProblem {
    PromptProblem::new(Path::new(CATALOG_FILE), 0, format!("the sample of `{key}` {what}"))
}

/// Adds each template to a new environment; a template syntax error is reported at its file line.
/// Also returns the keys whose template has such an error: written, so not missing.
fn compile(lang: Lang, raw: Vec<RawTemplate>, errors: &mut Vec<PromptProblem>) -> (Locale, HashSet<String>) {
    let mut locale = Locale {
        lang,
        env: new_environment(lang),
        own: HashMap::new(),
    };
    let mut unreadable = HashSet::new();
    for RawTemplate { key, text, origin } in raw {
        match locale.env.add_template_owned(key.clone(), text) {
            Ok(()) => {
                locale.own.insert(key, origin);
            }
            Err(error) => {
                let detail = error.detail().map_or_else(|| error.kind().to_string(), str::to_string);
                let message = format!("`{key}`: template syntax error: {detail}");
                errors.push(PromptProblem::new(
                    &origin.file,
                    origin.file_line(error.line()),
                    message,
                ));
                unreadable.insert(key);
            }
        }
    }
    (locale, unreadable)
}

/// English must define every catalog key; another language missing one only gets a warning.
/// `written` tells whether the language's files define a key (a template with a syntax error
/// included: that error is the problem to report, not a missing key).
fn check_coverage(lang: Lang, folder: &Path, has_folder: bool, written: impl Fn(&str) -> bool, built: &mut Built) {
    if !has_folder && lang == Lang::En {
        let message = "the English folder is missing; English is the fallback and must define every catalog key";
        built.errors.push(PromptProblem::new(folder, 0, message.to_string()));
        return;
    }
    if !has_folder {
        let message = format!(
            "no folder for {}; English will be used for every text",
            lang.native_name()
        );
        built.warnings.push(PromptProblem::new(folder, 0, message));
        return;
    }
    for entry in CATALOG.iter().filter(|entry| !written(entry.key)) {
        if lang == Lang::En {
            let message = format!("English lacks `{}`, which the code renders", entry.key);
            built.errors.push(PromptProblem::new(folder, 0, message));
        } else {
            let message = format!("`{}` is missing; English will be used", entry.key);
            built.warnings.push(PromptProblem::new(folder, 0, message));
        }
    }
}

/// A key the code never renders is most likely a typo.
fn warn_unknown_keys(locale: &Locale, warnings: &mut Vec<PromptProblem>) {
    for (key, origin) in &locale.own {
        if catalog::entry(key).is_none() {
            let message =
                format!("`{key}` is not in the catalog ({CATALOG_FILE}): a typo, or a key the code does not use");
            warnings.push(PromptProblem::new(&origin.file, origin.line, message));
        }
    }
}

/// Copies the English templates this language lacks into its environment, so includes across keys work.
fn add_english_fallbacks(locale: &mut Locale, english: &[(String, String)]) {
    for (key, text) in english {
        if !locale.own.contains_key(key) {
            // English compiled already when it has an origin; a failing one is simply left out here.
            let _ = locale.env.add_template_owned(key.clone(), text.clone());
        }
    }
}

/// Renders each of the language's own catalog templates with its sample, strictly: a variable the code
/// does not provide is an error at the line that uses it.
fn check_samples(
    locale: &mut Locale,
    samples: &HashMap<&'static str, serde_json::Value>,
    errors: &mut Vec<PromptProblem>,
) {
    locale.env.set_undefined_behavior(UndefinedBehavior::Strict);
    locale.env.set_debug(true);
    for entry in CATALOG {
        let (Some(origin), Some(sample)) = (locale.own.get(entry.key), samples.get(entry.key)) else {
            continue;
        };
        let rendered = locale
            .env
            .get_template(entry.key)
            .and_then(|template| template.render(super::render::context(sample)));
        let Err(error) = rendered else { continue };
        let (file, line) = match error.name().and_then(|name| locale.own.get(name)) {
            Some(failing) => (failing.file.clone(), failing.file_line(error.line())),
            None => (origin.file.clone(), origin.line),
        };
        errors.push(PromptProblem {
            file,
            line,
            message: sample_failure(entry.key, sample, &error),
        });
    }
    locale.env.set_undefined_behavior(UndefinedBehavior::Lenient);
    locale.env.set_debug(false);
}

/// Says why a template failed with its sample, quoting the failing template line when minijinja knows it.
fn sample_failure(key: &str, sample: &serde_json::Value, error: &minijinja::Error) -> String {
    let expression = error
        .template_source()
        .zip(error.line())
        .and_then(|(source, line)| source.lines().nth(line.saturating_sub(1)))
        .map(|text| format!(" in `{}`", text.trim()))
        .unwrap_or_default();
    if error.kind() == ErrorKind::UndefinedError {
        let provided: Vec<&str> = sample
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let provided = if provided.is_empty() {
            "nothing".to_string()
        } else {
            provided.join(", ")
        };
        format!("`{key}` uses a variable the code does not provide{expression} (the code provides: {provided})")
    } else {
        let detail = error.detail().map_or_else(|| error.kind().to_string(), str::to_string);
        format!("`{key}` fails to render with its catalog sample{expression}: {detail}")
    }
}
