//! Prompts: every text the bot says, per language, from `prompts/`.
//!
//! `prompts/<code>/<anything>.toml` (code: en, fr, es, ca, pt-PT, pt-BR) holds minijinja templates under dotted
//! keys (`[shared]` + `recorded = "…"` is `shared.recorded`); a language may spread its keys over several
//! files. [`Prompts::load`] reads and checks everything once at start, listing every problem with its
//! file and line; [`Prompts::render`] is then pure and falls back to English. The keys the code renders
//! are listed, with sample contexts, in [`catalog::CATALOG`]. Every value a template prints is escaped
//! as Markdown text ([`escape`]), so what people type is never markup on any platform.

pub mod catalog;
mod check;
pub mod escape;
mod lines;
mod load;
#[cfg(test)]
mod plural_tests;
mod render;

use crate::domain::Lang;
use minijinja::Environment;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use catalog::{Entry, CATALOG};
pub use escape::markup;

/// The `prompts/` folder of this repository, for tests and development runs.
pub const REPO_PROMPTS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts");

/// One problem found while loading prompts, at a file (or folder) and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptProblem {
    pub file: PathBuf,
    /// 1-based; 0 when the problem concerns a whole file or folder.
    pub line: usize,
    pub message: String,
}

impl PromptProblem {
    pub(crate) fn new(file: &Path, line: usize, message: String) -> Self {
        PromptProblem {
            file: file.to_path_buf(),
            line,
            message,
        }
    }
}

impl fmt::Display for PromptProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
        }
    }
}

impl std::error::Error for PromptProblem {}

/// Prompts that loaded, with the warnings worth showing at start.
#[derive(Debug)]
pub struct Loaded {
    pub prompts: Prompts,
    pub warnings: Vec<PromptProblem>,
}

/// Where a template was written: its file, the line of its key, and the file line of each template line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    pub file: PathBuf,
    pub line: usize,
    pub template_lines: Vec<usize>,
}

impl Origin {
    /// The file line of 1-based template line `template_line` (the key's line when unknown).
    pub fn file_line(&self, template_line: Option<usize>) -> usize {
        template_line
            .and_then(|line| line.checked_sub(1))
            .and_then(|index| self.template_lines.get(index).or(self.template_lines.last()))
            .copied()
            .unwrap_or(self.line)
    }

    /// `file:line`, for messages.
    pub fn place(&self) -> String {
        format!("{}:{}", self.file.display(), self.line)
    }
}

/// One language: its environment (its own templates plus English copies of those it lacks) and where
/// each of its own templates came from.
pub(crate) struct Locale {
    pub lang: Lang,
    pub env: Environment<'static>,
    pub own: HashMap<String, Origin>,
}

impl Locale {
    /// The same templates, checked already, compiled again only when first rendered: a bot
    /// renders a few of them in the languages its people use, and compiled templates take far
    /// more memory than their text.
    fn compiled_on_use(self) -> Locale {
        let sources: HashMap<String, String> = self
            .env
            .templates()
            .map(|(name, template)| (name.to_string(), template.source().to_string()))
            .collect();
        let mut env = check::new_environment(self.lang);
        env.set_loader(move |name| Ok(sources.get(name).cloned()));
        Locale {
            lang: self.lang,
            env,
            own: self.own,
        }
    }
}

/// Every language's templates, checked and ready to render.
pub struct Prompts {
    locales: HashMap<Lang, Locale>,
}

impl fmt::Debug for Prompts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut counts: Vec<(Lang, usize)> = self.locales.iter().map(|(lang, l)| (*lang, l.own.len())).collect();
        counts.sort();
        f.debug_struct("Prompts").field("keys_per_language", &counts).finish()
    }
}

impl Prompts {
    /// Reads and checks `dir` (the `prompts/` folder). Errors are every problem found, sorted by place;
    /// warnings (a language lacking a key, a key the code never renders) come with the prompts.
    pub fn load(dir: &Path) -> Result<Loaded, Vec<PromptProblem>> {
        let read = load::read_folder(dir).map_err(|problem| vec![problem])?;
        let mut built = check::build(dir, read);
        sort_problems(&mut built.errors);
        sort_problems(&mut built.warnings);
        if built.errors.is_empty() {
            let locales = built
                .locales
                .into_iter()
                .map(|(lang, locale)| (lang, locale.compiled_on_use()))
                .collect();
            Ok(Loaded {
                prompts: Prompts { locales },
                warnings: built.warnings,
            })
        } else {
            Err(built.errors)
        }
    }

    /// Loads this repository's `prompts/` folder ([`REPO_PROMPTS_DIR`]).
    pub fn load_repo() -> Result<Loaded, Vec<PromptProblem>> {
        Prompts::load(Path::new(REPO_PROMPTS_DIR))
    }

    /// This repository's prompts, for tests.
    ///
    /// # Panics
    /// If they do not load, listing every problem: the repository's own files are broken.
    pub fn for_tests() -> Prompts {
        match Prompts::load_repo() {
            Ok(loaded) => loaded.prompts,
            Err(problems) => {
                let listing: Vec<String> = problems.iter().map(ToString::to_string).collect();
                panic!("the repository's prompts do not load:\n{}", listing.join("\n"))
            }
        }
    }

    /// Where `lang` defines `key`: the file and the line of the key.
    pub fn origin(&self, lang: Lang, key: &str) -> Option<(&Path, usize)> {
        let origin = self.locales.get(&lang)?.own.get(key)?;
        Some((origin.file.as_path(), origin.line))
    }
}

fn sort_problems(problems: &mut [PromptProblem]) {
    problems.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_display_with_and_without_line() {
        let rows = [
            (
                PromptProblem::new(Path::new("prompts/fr/main.toml"), 12, "bad".into()),
                "prompts/fr/main.toml:12: bad",
            ),
            (
                PromptProblem::new(Path::new("prompts/en"), 0, "missing".into()),
                "prompts/en: missing",
            ),
        ];
        for (problem, want) in rows {
            assert_eq!(problem.to_string(), want);
        }
    }

    #[test]
    fn template_lines_map_to_file_lines() {
        let origin = Origin {
            file: PathBuf::from("f.toml"),
            line: 4,
            template_lines: vec![5, 6, 8],
        };
        for (template_line, want) in [(None, 4), (Some(0), 4), (Some(1), 5), (Some(3), 8), (Some(9), 8)] {
            assert_eq!(origin.file_line(template_line), want, "{template_line:?}");
        }
    }

    #[test]
    fn prompts_can_be_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Prompts>();
    }
}
