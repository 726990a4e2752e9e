//! Loading, checking and rendering prompts: the repository's own files and problem cases in temp folders.

use relais::domain::Lang;
use relais::prompts::{Loaded, PromptProblem, Prompts, CATALOG};
use serde_json::json;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A prompts folder holding `files` (path under the folder, content).
fn folder(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    for (path, content) in files {
        let path = dir.path().join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
        }
        fs::write(&path, content).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    dir
}

/// A TOML file defining every catalog key with a plain text, except `skip`.
fn every_key_except(skip: &[&str], text: &str) -> String {
    CATALOG
        .iter()
        .filter(|entry| !skip.contains(&entry.key))
        .map(|entry| format!("{} = \"{text} ({})\"\n", entry.key, entry.key))
        .collect()
}

fn load_ok(dir: &TempDir) -> Loaded {
    Prompts::load(dir.path()).unwrap_or_else(|errors| panic!("unexpected errors:\n{}", listing(&errors)))
}

fn load_err(dir: &TempDir) -> Vec<PromptProblem> {
    match Prompts::load(dir.path()) {
        Ok(loaded) => panic!("loaded, expected errors; warnings:\n{}", listing(&loaded.warnings)),
        Err(errors) => errors,
    }
}

fn listing(problems: &[PromptProblem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// The one problem at `file` (relative to `dir`), or a failure showing them all.
fn only_problem_at<'a>(problems: &'a [PromptProblem], dir: &TempDir, file: &str) -> &'a PromptProblem {
    let path: PathBuf = dir.path().join(file);
    let at: Vec<&PromptProblem> = problems.iter().filter(|p| p.file == path).collect();
    match at.as_slice() {
        [one] => one,
        _ => panic!("expected one problem at {file}, got:\n{}", listing(problems)),
    }
}

fn first_key() -> &'static str {
    CATALOG.first().map_or("error.internal", |entry| entry.key)
}

#[test]
fn the_repository_prompts_load_without_errors_or_english_warnings() {
    let loaded = Prompts::load_repo().unwrap_or_else(|errors| panic!("{}", listing(&errors)));
    let english = Path::new(relais::prompts::REPO_PROMPTS_DIR).join("en");
    let english_warnings: Vec<&PromptProblem> = loaded
        .warnings
        .iter()
        .filter(|w| w.file.starts_with(&english))
        .collect();
    assert!(english_warnings.is_empty(), "{english_warnings:?}");
}

#[test]
fn every_catalog_key_renders_in_every_language() {
    let prompts = Prompts::for_tests();
    for entry in CATALOG {
        let sample: serde_json::Value =
            serde_json::from_str(entry.sample).unwrap_or_else(|e| panic!("{}: sample: {e}", entry.key));
        for lang in Lang::ALL {
            let text = prompts.render(lang, entry.key, &sample);
            let marker = format!("[{}]", entry.key);
            let ok = !text.trim().is_empty() && !text.contains(&marker) && !text.contains("{{") && !text.contains("{%");
            assert!(ok, "{lang} {}: {text:?}", entry.key);
        }
    }
}

#[test]
fn a_text_reads_exactly_as_written() {
    let prompts = Prompts::for_tests();
    let vars = json!({"max": 4000, "length": 5210});
    let text = prompts.render(Lang::En, "error.too_long", &vars);
    assert_eq!(
        text,
        "That message is too long for me (5210 characters; 4000 at most). Could you send something shorter?"
    );
}

#[test]
fn template_syntax_errors_name_the_file_and_line() {
    let rows: &[(&str, usize)] = &[
        ("# comment\n[shared]\nbroken = \"Hello {{ name }\"\n", 3),
        ("[shared]\nbroken = \"\"\"\nfine {{ a }}\nbroken {% if %}\n\"\"\"\n", 4),
        ("[shared]\nbroken = \"\"\"first {{ a }}\nbroken {{ b }\n\"\"\"\n", 3),
        ("[shared]\nbroken = '''\none\ntwo\nthree {{ }}\n'''\n", 5),
        ("[shared]\nfine = \"ok\"\nbroken = \"unclosed\n", 3),
    ];
    for (content, line) in rows {
        let en = every_key_except(&[], "Text");
        let dir = folder(&[("en/main.toml", &en), ("fr/extra.toml", content)]);
        let errors = load_err(&dir);
        let problem = only_problem_at(&errors, &dir, "fr/extra.toml");
        assert_eq!(problem.line, *line, "{content:?}: {problem}");
    }
}

#[test]
fn english_lacking_a_catalog_key_is_an_error() {
    let missing = first_key();
    let dir = folder(&[("en/main.toml", &every_key_except(&[missing], "Text"))]);
    let errors = load_err(&dir);
    let problem = only_problem_at(&errors, &dir, "en");
    assert!(problem.message.contains(missing), "{problem}");
    assert!(problem.to_string().contains("/en: "), "{problem}");
}

#[test]
fn another_language_lacking_a_key_warns_and_falls_back_to_english() {
    let missing = first_key();
    let en = every_key_except(&[], "English");
    let fr = every_key_except(&[missing], "Français");
    let dir = folder(&[("en/main.toml", &en), ("fr/main.toml", &fr)]);
    let loaded = load_ok(&dir);
    let warning = only_problem_at(&loaded.warnings, &dir, "fr");
    assert!(
        warning.message.contains(missing) && warning.message.contains("English"),
        "{warning}"
    );
    assert!(!loaded.prompts.has(Lang::Fr, missing));
    let text = loaded.prompts.render(Lang::Fr, missing, &json!({}));
    assert_eq!(text, format!("English ({missing})"));
    let other = CATALOG.iter().find(|entry| entry.key != missing).map(|entry| entry.key);
    if let Some(other) = other {
        assert_eq!(
            loaded.prompts.render(Lang::Fr, other, &json!({})),
            format!("Français ({other})")
        );
    }
}

#[test]
fn a_language_without_a_folder_gets_one_warning() {
    let dir = folder(&[("en/main.toml", &every_key_except(&[], "Text"))]);
    let loaded = load_ok(&dir);
    for lang in [Lang::Fr, Lang::Es, Lang::Ca, Lang::PtPt, Lang::PtBr] {
        let warning = only_problem_at(&loaded.warnings, &dir, lang.code());
        assert!(warning.message.contains(lang.native_name()), "{warning}");
    }
    assert_eq!(loaded.warnings.len(), 5, "{}", listing(&loaded.warnings));
}

#[test]
fn a_missing_english_folder_is_an_error() {
    let dir = folder(&[("fr/main.toml", &every_key_except(&[], "Texte"))]);
    let errors = load_err(&dir);
    let problem = only_problem_at(&errors, &dir, "en");
    assert!(problem.message.contains("English"), "{problem}");
}

#[test]
fn a_key_not_in_the_catalog_warns_with_its_line() {
    let en = format!("{}\n[typos]\nrecroded = \"Typo\"\n", every_key_except(&[], "Text"));
    let line = en.lines().count();
    let dir = folder(&[("en/main.toml", &en)]);
    let loaded = load_ok(&dir);
    let warning = only_problem_at(&loaded.warnings, &dir, "en/main.toml");
    assert_eq!(warning.line, line, "{warning}");
    assert!(warning.message.contains("typos.recroded"), "{warning}");
}

#[test]
fn a_variable_the_code_does_not_provide_is_an_error_in_any_language() {
    let key = first_key();
    let en = every_key_except(&[], "Text");
    for lang in Lang::ALL {
        let broken =
            format!("# {lang}\n{key} = \"\"\"\nHello,\nyou have {{{{ not_provided_by_code }}}} points.\n\"\"\"\n");
        let path = format!("{}/broken.toml", lang.code());
        let english = if lang == Lang::En {
            every_key_except(&[key], "Text")
        } else {
            en.clone()
        };
        let dir = folder(&[("en/main.toml", &english), (&path, &broken)]);
        let errors = load_err(&dir);
        let problem = only_problem_at(&errors, &dir, &path);
        assert_eq!(problem.line, 4, "{lang}: {problem}");
        assert!(problem.message.contains("not_provided_by_code"), "{lang}: {problem}");
    }
}

#[test]
fn a_key_defined_in_two_files_names_both_places() {
    let key = first_key();
    let en = every_key_except(&[], "Text");
    let second = format!("\n\n{key} = \"Again\"\n");
    let dir = folder(&[("en/a.toml", &en), ("en/b.toml", &second)]);
    let errors = load_err(&dir);
    let problem = only_problem_at(&errors, &dir, "en/b.toml");
    assert_eq!(problem.line, 3, "{problem}");
    let first_line = en.lines().position(|l| l.starts_with(key)).map_or(0, |i| i + 1);
    let first_place = format!("{}:{first_line}", dir.path().join("en/a.toml").display());
    assert!(
        problem.message.contains(key) && problem.message.contains(&first_place),
        "{problem}"
    );
}

#[test]
fn a_folder_that_is_not_a_language_code_is_an_error() {
    let en = every_key_except(&[], "Text");
    let dir = folder(&[
        ("en/main.toml", &en),
        ("de/main.toml", &en),
        ("fr-CA/main.toml", &en),
        ("README.md", "hi"),
    ]);
    let errors = load_err(&dir);
    for name in ["de", "fr-CA"] {
        let problem = only_problem_at(&errors, &dir, name);
        assert!(problem.message.contains("not a supported language"), "{problem}");
    }
    assert_eq!(errors.len(), 2, "{}", listing(&errors));
}

#[test]
fn every_problem_is_listed_not_just_the_first() {
    let en = every_key_except(&[first_key()], "Text");
    let dir = folder(&[
        ("en/main.toml", &en),
        ("fr/a.toml", "x = \"{{ a }\"\n"),
        ("es/a.toml", "x = = 1\n"),
        ("xx/a.toml", ""),
        ("pt-BR/a.toml", "n = 3\n"),
    ]);
    let errors = load_err(&dir);
    for file in ["en", "fr/a.toml", "es/a.toml", "xx", "pt-BR/a.toml"] {
        only_problem_at(&errors, &dir, file);
    }
    assert_eq!(errors.len(), 5, "{}", listing(&errors));
}

#[test]
fn an_unreadable_folder_is_an_error() {
    let dir = folder(&[]);
    let missing = dir.path().join("nowhere");
    let errors = Prompts::load(&missing).err().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors.iter().all(|p| p.file == missing), "{errors:?}");
}

#[test]
fn render_never_panics_on_a_wrong_context() {
    let prompts = Prompts::for_tests();
    let contexts = [
        json!({}),
        json!(null),
        json!([1, 2, 3]),
        json!("text"),
        json!({"points": "many", "max": [], "length": {"a": 1}, "topics": 7, "streak": null}),
    ];
    for entry in CATALOG.iter().map(|e| e.key).chain(["no.such.key", ""]) {
        for lang in Lang::ALL {
            for context in &contexts {
                let text = prompts.render(lang, entry, context);
                assert!(!text.is_empty(), "{lang} {entry} {context}");
            }
        }
    }
}

#[test]
fn a_broken_english_file_is_not_buried_under_missing_key_errors() {
    let dir = folder(&[("en/main.toml", "[error]\ninternal = \"Sorry\n")]);
    let errors = load_err(&dir);
    let problem = only_problem_at(&errors, &dir, "en/main.toml");
    assert_eq!((problem.line, errors.len()), (2, 1), "{}", listing(&errors));
    assert!(
        problem.message.starts_with("TOML syntax error") && !problem.message.contains('\n'),
        "{problem}"
    );
}

#[test]
fn issue14_a_template_syntax_error_in_english_is_the_only_problem_reported() {
    let key = "welcome";
    assert!(CATALOG.iter().any(|entry| entry.key == key), "`{key}` is a catalog key");
    let en = format!("{}{key} = \"Hello {{{{ name }}\"\n", every_key_except(&[key], "Text"));
    let dir = folder(&[("en/main.toml", &en)]);
    let errors = load_err(&dir);
    let problem = only_problem_at(&errors, &dir, "en/main.toml");
    assert!(
        problem.message.contains(&format!("`{key}`: template syntax error")),
        "{problem}"
    );
    assert_eq!(errors.len(), 1, "not also reported missing:\n{}", listing(&errors));
}
