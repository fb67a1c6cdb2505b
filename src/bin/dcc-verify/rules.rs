//! `dcc-verify rules`: the built-in rule sets, and running EU business rule tests laid out as
//! in the eu-digital-green-certificates/dgc-business-rules repository.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use dcc_verifier::rules::eu::Rule;
use serde_json::Value as Json;

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Print the names of the built-in rule sets, one per line.
    List,
    /// Run EU business rule tests: DIR/CC/RULE-ID/rule.json (or RULE-ID.json) with
    /// DIR/CC/RULE-ID/tests/*.json; DIR may also be one country or one rule folder. Prints each
    /// failed test, each rule that cannot load or whose logic is invalid, then a summary.
    /// Exit 0 when every test passed and every rule loaded, 1 otherwise, 2 unreadable DIR.
    Test {
        /// The rules folder.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

pub(crate) fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::List => {
            for name in dcc_verifier::rules::names() {
                println!("{name}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Test { dir } => test(&dir),
    }
}

/// What a run found, for the summary line.
#[derive(Default)]
struct Tally {
    tests: usize,
    failed: usize,
    rules: usize,
    unloadable: usize,
    invalid_logic: Vec<String>,
}

fn test(dir: &Path) -> Result<ExitCode, String> {
    let mut folders = Vec::new();
    // DIR/CC/RULE-ID at the deepest: a rule folder is found at most two levels down.
    collect_rule_folders(dir, 2, &mut folders)?;
    if folders.is_empty() {
        return Err(format!(
            "{}: no rule folder (rule.json, RULE-ID.json or tests/) found",
            dir.display()
        ));
    }
    let mut tally = Tally::default();
    for folder in &folders {
        test_rule(folder, &mut tally)?;
    }
    let passed = tally.tests.saturating_sub(tally.failed);
    let mut summary = format!(
        "{}: {passed} passed, {} failed ({}",
        counted(tally.tests, "test"),
        tally.failed,
        counted(tally.rules, "rule")
    );
    if tally.unloadable > 0 {
        summary.push_str(&format!(", {} cannot load", tally.unloadable));
    }
    if !tally.invalid_logic.is_empty() {
        summary.push_str(&format!(
            ", {} with invalid logic: {}",
            tally.invalid_logic.len(),
            tally.invalid_logic.join(", ")
        ));
    }
    println!("{summary})");
    Ok(if tally.failed == 0 && tally.unloadable == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `1 test`, `2 tests`.
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `dir` itself when it is a rule folder, else the rule folders below it, sorted.
fn collect_rule_folders(dir: &Path, depth: u8, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if rule_file(dir).is_some() || dir.join("tests").is_dir() {
        out.push(dir.to_path_buf());
        return Ok(());
    }
    let Some(below) = depth.checked_sub(1) else {
        return Ok(());
    };
    for sub in sorted_entries(dir)? {
        if sub.is_dir() {
            collect_rule_folders(&sub, below, out)?;
        }
    }
    Ok(())
}

/// The rule of a folder: `RULE-ID.json` (as Malta names it), else `rule.json`.
fn rule_file(folder: &Path) -> Option<PathBuf> {
    let named = folder
        .file_name()
        .map(|name| folder.join(format!("{}.json", name.to_string_lossy())));
    named
        .into_iter()
        .chain([folder.join("rule.json")])
        .find(|file| file.is_file())
}

/// Loads one rule and runs its tests, printing what failed.
fn test_rule(folder: &Path, tally: &mut Tally) -> Result<(), String> {
    let tests_dir = folder.join("tests");
    let tests: Vec<PathBuf> = if tests_dir.is_dir() {
        sorted_entries(&tests_dir)?
            .into_iter()
            .filter(|t| t.extension().is_some_and(|e| e == "json") && t.is_file())
            .collect()
    } else {
        Vec::new()
    };
    tally.rules = tally.rules.saturating_add(1);
    tally.tests = tally.tests.saturating_add(tests.len());
    let rule = match load_rule(folder) {
        Ok(rule) => rule,
        Err((path, why)) => {
            // Its tests cannot run: each counts as failed.
            println!("{}: cannot load: {why}", path.display());
            tally.unloadable = tally.unloadable.saturating_add(1);
            tally.failed = tally.failed.saturating_add(tests.len());
            return Ok(());
        }
    };
    if let Some(why) = rule.logic_error() {
        println!("{}: invalid logic: {why}", folder.display());
        tally.invalid_logic.push(rule.identifier.clone());
    }
    for test in &tests {
        if let Err(why) = parse_file(test).and_then(|t| rule.run_test(&t)) {
            println!("{}: {why}", test.display());
            tally.failed = tally.failed.saturating_add(1);
        }
    }
    Ok(())
}

/// The folder's rule, or the file (or folder) at fault and why.
fn load_rule(folder: &Path) -> Result<Rule, (PathBuf, String)> {
    let Some(file) = rule_file(folder) else {
        return Err((folder.to_path_buf(), "no rule.json or RULE-ID.json".into()));
    };
    parse_file(&file)
        .and_then(|json| Rule::from_json(&json).map_err(|e| e.to_string()))
        .map_err(|why| (file, why))
}

/// A JSON file's content; the error says why, the caller says where.
fn parse_file(path: &Path) -> Result<Json, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| format!("not JSON: {e}"))
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths = entries
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    paths.sort();
    Ok(paths)
}
