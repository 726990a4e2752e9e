//! Reads the parsed document one table at a time with serde, so that every bad key is reported with
//! its position instead of only serde's first error.
//!
//! For each table: unknown keys and inline secrets are reported and dropped, missing required keys
//! are reported, then the table is deserialized again and again, each time reporting the key (or
//! array element) the error points at and removing it, until serde accepts what is left.

use serde::de::{DeserializeOwned, IntoDeserializer};
use std::ops::Range;
use toml_edit::{InlineTable, Item, TableLike, Value};

/// Keys that hold a secret in the file itself; refused everywhere.
const SECRET_KEYS: [&str; 6] = [
    "password",
    "token",
    "access-token",
    "access_token",
    "store-passphrase",
    "passphrase",
];

/// Problems found so far, as byte offsets into the text and messages.
#[derive(Debug, Default)]
pub(super) struct Report {
    pub(super) problems: Vec<(usize, String)>,
}

/// Where a table sits in the file and which of its keys must be present.
#[derive(Debug, Clone, Copy)]
pub(super) struct Place {
    /// Dotted path, used in messages (`demo.items`).
    pub(super) path: &'static str,
    /// How the table is written (`[bot]`, `[[rooms]]`).
    pub(super) header: &'static str,
    /// Keys without a default; kept in step with the serde types by a test.
    pub(super) required: &'static [&'static str],
}

impl Report {
    pub(super) fn add(&mut self, at: usize, message: impl Into<String>) {
        self.problems.push((at, message.into()));
    }

    pub(super) fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// Reports the keys of `table` that are not among `fields` (with a suggestion, or the advice
    /// for inline secrets) and returns them.
    pub(super) fn unknown_keys(&mut self, table: &dyn TableLike, fields: &[&str], place: &str) -> Vec<String> {
        let mut unknown = Vec::new();
        for (key, _) in table.iter() {
            if fields.contains(&key) {
                continue;
            }
            let at = table.key(key).and_then(|k| k.span()).map_or(0, |s| s.start);
            self.add(at, unknown_key_message(key, fields, place));
            unknown.push(key.to_string());
        }
        unknown
    }

    /// Reads `item` (a table, or an inline table in an array) at `place` as a `T`. Returns `None`
    /// only after reporting why; returns `Some` with defaults in place of the bad keys otherwise.
    pub(super) fn table<T: DeserializeOwned>(&mut self, place: Place, item: &Item, anchor: usize) -> Option<T> {
        let anchor = item.span().map_or(anchor, |s| s.start);
        let (Some(table), Ok(Value::InlineTable(mut value))) = (item.as_table_like(), item.clone().into_value()) else {
            let message = match place.header.starts_with("[[") {
                true => format!("each entry of `{}` must be a table", place.path),
                false => format!("`{}` must be a table ({})", place.path, place.header),
            };
            self.add(start_of(item).unwrap_or(anchor), message);
            return None;
        };
        for key in self.unknown_keys(table, field_names::<T>(), place.header) {
            value.remove(&key);
        }
        let missing: Vec<&str> = place
            .required
            .iter()
            .copied()
            .filter(|k| !table.contains_key(k))
            .collect();
        for key in &missing {
            self.add(anchor, format!("missing required key `{key}` in {}", place.header));
        }
        let mut removed = Vec::new();
        loop {
            let error = match T::deserialize(Value::InlineTable(value.clone()).into_deserializer()) {
                Ok(read) => return Some(read),
                Err(error) => error,
            };
            let message = error.message().trim().replace('\n', "; ");
            if let Some(field) = message
                .strip_prefix("missing field `")
                .and_then(|m| m.strip_suffix('`'))
            {
                // Already reported: missing from the start, or removed because its value was bad.
                if !missing.contains(&field) && !removed.iter().any(|k| k == field) {
                    self.add(anchor, format!("missing required key `{field}` in {}", place.header));
                }
                return None;
            }
            let at = error.span().map(|s| s.start);
            let Some(key) = at.and_then(|at| key_at(&value, at)) else {
                self.add(at.unwrap_or(anchor), format!("{}: {message}", place.header));
                return None;
            };
            self.add(at.unwrap_or(anchor), format!("`{}.{key}`: {message}", place.path));
            if !remove_part(&mut value, &key, at.unwrap_or(0)) {
                value.remove(&key);
                removed.push(key);
            }
        }
    }

    /// Reads the list of tables `item` at `place` (`[[rooms]]` or an inline array of inline tables),
    /// each entry on its own. `None` (reported) when `item` is not such a list.
    pub(super) fn list<T: DeserializeOwned>(&mut self, place: Place, item: &Item) -> Option<Vec<(Item, Option<T>)>> {
        let entries: Vec<Item> = match item {
            Item::ArrayOfTables(tables) => tables.iter().map(|t| Item::Table(t.clone())).collect(),
            Item::Value(Value::Array(values)) => values.iter().map(|v| Item::Value(v.clone())).collect(),
            _ => {
                let message = format!(
                    "`{}` must be a list of tables: write each entry as {}",
                    place.path, place.header
                );
                self.add(start_of(item).unwrap_or(0), message);
                return None;
            }
        };
        let list_start = start_of(item).unwrap_or(0);
        let read = entries.into_iter().map(|entry| {
            let read = self.table::<T>(place, &entry, start_of(&entry).unwrap_or(list_start));
            (entry, read)
        });
        Some(read.collect())
    }
}

fn unknown_key_message(key: &str, fields: &[&str], place: &str) -> String {
    if SECRET_KEYS.contains(&key) {
        return secret_message(key, fields);
    }
    let what = if place.is_empty() {
        format!("unknown section or key `{key}`")
    } else {
        format!("unknown key `{key}` in {place}")
    };
    if !place.is_empty() && field_names::<super::model::Config>().contains(&key) {
        return format!("{what}: top-level keys such as `{key}` must come before the first [section] header");
    }
    match super::suggest::closest(key, fields.iter().copied()) {
        Some(near) => format!("{what}; did you mean `{near}`?"),
        None => format!("{what} (known keys: {})", fields.join(", ")),
    }
}

/// The advice for a secret written in the file. Never repeats the value.
fn secret_message(key: &str, fields: &[&str]) -> String {
    let own = format!("{}-env", key.replace('_', "-"));
    let env_key = [
        own.as_str(),
        "store-passphrase-env",
        "access-token-env",
        "token-env",
        "password-env",
    ]
    .into_iter()
    .filter(|k| key.contains("passphrase") == k.contains("passphrase"))
    .find(|k| fields.contains(k));
    let advice = match env_key {
        Some(env_key) => format!("and name that variable with `{env_key}`"),
        None => "and name that variable with the section's `*-env` key".to_string(),
    };
    format!("`{key}` would put a secret in the configuration file: put the secret in an environment variable {advice}")
}

/// The field names (`FIELDS`) of a serde struct, read by letting it try to deserialize from a probe.
pub(super) fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _refused_by_the_probe = T::deserialize(FieldProbe(&mut fields));
    fields
}

struct FieldProbe<'a>(&'a mut &'static [&'static str]);

#[derive(Debug, thiserror::Error)]
#[error("field probe")]
struct ProbeDone;

impl serde::de::Error for ProbeDone {
    fn custom<M: std::fmt::Display>(_message: M) -> Self {
        ProbeDone
    }
}

impl<'de> serde::Deserializer<'de> for FieldProbe<'_> {
    type Error = ProbeDone;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _visitor: V) -> Result<V::Value, ProbeDone> {
        Err(ProbeDone)
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, ProbeDone> {
        *self.0 = fields;
        Err(ProbeDone)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// Where an item starts in the text (its own span, or its first child's).
pub(super) fn start_of(item: &Item) -> Option<usize> {
    item_extent(item).map(|s| s.start)
}

/// Where the value of `key` in the table `item` starts.
pub(super) fn value_start(item: &Item, key: &str) -> Option<usize> {
    item.as_table_like()?.get(key).and_then(start_of)
}

fn join(a: Option<Range<usize>>, b: Option<Range<usize>>) -> Option<Range<usize>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.start.min(b.start)..a.end.max(b.end)),
        (a, b) => a.or(b),
    }
}

fn item_extent(item: &Item) -> Option<Range<usize>> {
    match item {
        Item::Value(value) => value_extent(value),
        Item::Table(table) => table.span().or_else(|| table_extent(table)),
        Item::ArrayOfTables(tables) => tables
            .span()
            .or_else(|| tables.iter().map(|t| table_extent(t)).fold(None, join)),
        Item::None => None,
    }
}

/// The text covered by the keys and values of a table without a span of its own (dotted keys).
fn table_extent(table: &dyn TableLike) -> Option<Range<usize>> {
    table
        .iter()
        .map(|(key, item)| join(table.key(key).and_then(|k| k.span()), item_extent(item)))
        .fold(None, join)
}

fn value_extent(value: &Value) -> Option<Range<usize>> {
    value.span().or_else(|| match value {
        Value::InlineTable(table) => table_extent(table),
        Value::Array(values) => values.iter().map(value_extent).fold(None, join),
        _ => None,
    })
}

/// The key of `table` whose key or value covers `offset`.
fn key_at(table: &InlineTable, offset: usize) -> Option<String> {
    table.iter().find_map(|(key, value)| {
        let covered = join(table.key(key).and_then(|k| k.span()), value_extent(value));
        covered.filter(|range| range.contains(&offset)).map(|_| key.to_string())
    })
}

/// Removes, inside the value of `key`, the array element or inline-table entry that covers
/// `offset`, so that the other elements are still checked. False when there is no such part.
fn remove_part(table: &mut InlineTable, key: &str, offset: usize) -> bool {
    let covers = |range: Option<Range<usize>>| range.is_some_and(|range| range.contains(&offset));
    match table.get_mut(key) {
        Some(Value::Array(values)) => {
            let bad = values.iter().position(|v| covers(value_extent(v)));
            bad.map(|index| values.remove(index)).is_some()
        }
        Some(Value::InlineTable(entries)) => {
            let bad = entries.iter().find_map(|(k, v)| {
                covers(join(entries.key(k).and_then(|k| k.span()), value_extent(v))).then(|| k.to_string())
            });
            bad.is_some_and(|k| entries.remove(&k).is_some())
        }
        _ => false,
    }
}

/// 1-based line and column (in chars) of a byte offset.
pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |line| line.chars().count());
    (before.matches('\n').count() + 1, column + 1)
}
