//! Reading `prompts/<code>/*.toml` into raw templates, each with the place it was written.

use super::lines::{line_at, template_lines};
use super::{Origin, PromptProblem};
use crate::domain::Lang;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use toml_edit::{ImDocument, Item, TableLike, Value};

/// One template as written in a file, before minijinja sees it.
pub(crate) struct RawTemplate {
    pub key: String,
    pub text: String,
    pub origin: Origin,
}

/// What reading the folder gave: the templates of each locale that has a folder, and every problem met.
#[derive(Default)]
pub(crate) struct ReadFolder {
    pub locales: BTreeMap<Lang, Vec<RawTemplate>>,
    /// Locales with a file that could not be read or parsed: keys they lack may well be in that file.
    pub broken: BTreeSet<Lang>,
    pub errors: Vec<PromptProblem>,
    pub warnings: Vec<PromptProblem>,
}

/// Reads every locale folder under `dir`, going on past problems; fails only if `dir` cannot be listed.
pub(crate) fn read_folder(dir: &Path) -> Result<ReadFolder, PromptProblem> {
    let entries = sorted_entries(dir)
        .map_err(|error| PromptProblem::new(dir, 0, format!("cannot read the prompts folder: {error}")))?;
    let mut read = ReadFolder::default();
    for (path, name, is_dir) in entries {
        if !is_dir || name.starts_with('.') {
            continue;
        }
        match Lang::ALL.into_iter().find(|lang| lang.code() == name) {
            Some(lang) => {
                let errors_before = read.errors.len();
                let templates = read_locale(&path, &mut read);
                if read.errors.len() > errors_before {
                    read.broken.insert(lang);
                }
                read.locales.insert(lang, templates);
            }
            None => read.errors.push(PromptProblem::new(
                &path,
                0,
                format!(
                    "`{name}` is not a supported language code ({}){}",
                    Lang::codes(", "),
                    if name == "pt" {
                        ": Portuguese is now pt-PT (European) and pt-BR (Brazilian, what `pt` held)"
                    } else {
                        ""
                    }
                ),
            )),
        }
    }
    Ok(read)
}

/// The entries of a folder as (path, name, is a folder), sorted by name so results are reproducible.
fn sorted_entries(dir: &Path) -> std::io::Result<Vec<(PathBuf, String, bool)>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let is_dir = entry.file_type()?.is_dir();
        entries.push((entry.path(), entry.file_name().to_string_lossy().into_owned(), is_dir));
    }
    entries.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(entries)
}

/// Reads the `.toml` files of one locale folder, reporting keys defined twice.
fn read_locale(dir: &Path, read: &mut ReadFolder) -> Vec<RawTemplate> {
    let entries = match sorted_entries(dir) {
        Ok(entries) => entries,
        Err(error) => {
            read.errors
                .push(PromptProblem::new(dir, 0, format!("cannot read the folder: {error}")));
            return Vec::new();
        }
    };
    let mut templates: Vec<RawTemplate> = Vec::new();
    let mut first_place: HashMap<String, Origin> = HashMap::new();
    for (path, name, is_dir) in entries {
        if name.starts_with('.') {
            continue;
        }
        if is_dir {
            let message = "folder ignored: prompts are read only from the .toml files directly in the locale folder";
            read.warnings.push(PromptProblem::new(&path, 0, message.to_string()));
            continue;
        }
        if !name.ends_with(".toml") {
            continue;
        }
        for template in read_file(&path, &mut read.errors) {
            if let Some(first) = first_place.get(&template.key) {
                read.errors.push(PromptProblem::new(
                    &template.origin.file,
                    template.origin.line,
                    format!("`{}` is defined twice: here and at {}", template.key, first.place()),
                ));
                continue;
            }
            first_place.insert(template.key.clone(), template.origin.clone());
            templates.push(template);
        }
    }
    templates
}

/// Reads and parses one TOML file into its templates.
fn read_file(path: &Path, errors: &mut Vec<PromptProblem>) -> Vec<RawTemplate> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            errors.push(PromptProblem::new(path, 0, format!("cannot read the file: {error}")));
            return Vec::new();
        }
    };
    parse_file(path, &text, errors)
}

/// Parses the text of one TOML file: nested tables become dotted keys, every value must be a string.
pub(crate) fn parse_file(path: &Path, text: &str, errors: &mut Vec<PromptProblem>) -> Vec<RawTemplate> {
    let document = match ImDocument::parse(text) {
        Ok(document) => document,
        Err(error) => {
            let line = error.span().map_or(0, |span| line_at(text, span.start));
            let detail: Vec<&str> = error
                .message()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            let message = format!("TOML syntax error: {}", detail.join("; "));
            errors.push(PromptProblem::new(path, line, message));
            return Vec::new();
        }
    };
    let mut walk = Walk {
        path,
        text,
        templates: Vec::new(),
        errors,
    };
    walk.table(document.as_table(), "");
    walk.templates
}

/// The state of the walk through one parsed file.
struct Walk<'a> {
    path: &'a Path,
    text: &'a str,
    templates: Vec<RawTemplate>,
    errors: &'a mut Vec<PromptProblem>,
}

impl Walk<'_> {
    fn table(&mut self, table: &dyn TableLike, prefix: &str) {
        for (name, item) in table.iter() {
            let key = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            };
            let key_span = table.get_key_value(name).and_then(|(key, _)| key.span());
            let line = key_span
                .or_else(|| item.span())
                .map_or(0, |span| line_at(self.text, span.start));
            match item {
                Item::Value(Value::String(string)) => self.template(key, line, string),
                Item::Table(_) | Item::Value(Value::InlineTable(_)) => match item.as_table_like() {
                    Some(inner) => self.table(inner, &key),
                    None => self.not_text(&key, line, item),
                },
                _ => self.not_text(&key, line, item),
            }
        }
    }

    fn template(&mut self, key: String, key_line: usize, string: &toml_edit::Formatted<String>) {
        let (value_line, literal) = match string.span() {
            Some(span) => (line_at(self.text, span.start), self.text.get(span).unwrap_or("\"\"")),
            None => (key_line, "\"\""),
        };
        let origin = Origin {
            file: self.path.to_path_buf(),
            line: key_line,
            template_lines: template_lines(literal, value_line),
        };
        self.templates.push(RawTemplate {
            key,
            text: string.value().clone(),
            origin,
        });
    }

    fn not_text(&mut self, key: &str, line: usize, item: &Item) {
        let message = format!(
            "`{key}` must be a text (a template in quotes), not {}",
            item.type_name()
        );
        self.errors.push(PromptProblem::new(self.path, line, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Vec<(String, String, usize)>, Vec<String>) {
        let mut errors = Vec::new();
        let templates = parse_file(Path::new("x.toml"), text, &mut errors);
        let found = templates.into_iter().map(|t| (t.key, t.text, t.origin.line)).collect();
        (found, errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn tables_nest_into_dotted_keys_with_their_lines() {
        let text =
            "top = \"t\"\n\n[shared]\nrecorded = \"\"\"\nThanks!\n\"\"\"\nnested.deep = 'd'\ninline = { a = \"x\" }\n";
        let (found, errors) = parse(text);
        assert!(errors.is_empty(), "{errors:?}");
        let want = [
            ("top", "t", 1),
            ("shared.recorded", "Thanks!\n", 4),
            ("shared.nested.deep", "d", 7),
            ("shared.inline.a", "x", 8),
        ];
        let want: Vec<(String, String, usize)> = want
            .iter()
            .map(|(k, t, l)| (k.to_string(), t.to_string(), *l))
            .collect();
        assert_eq!(found, want);
    }

    #[test]
    fn values_that_are_not_text_are_errors_with_their_line() {
        let (found, errors) = parse("ok = \"fine\"\ncount = 3\nlist = [\"a\"]\n");
        assert_eq!(found.len(), 1);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("x.toml:2: `count` must be a text"), "{errors:?}");
        assert!(errors[1].starts_with("x.toml:3: `list` must be a text"), "{errors:?}");
    }

    #[test]
    fn toml_syntax_errors_name_the_line() {
        let (found, errors) = parse("a = \"fine\"\n\nb = \"unclosed\n");
        assert!(found.is_empty());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("x.toml:3: TOML syntax error"), "{errors:?}");
    }
}
