//! `dcc-verify certlogic`: evaluate and validate CertLogic expressions, one at a time or as a
//! line-per-case stream for test harnesses.

use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use dcc_verifier::rules::certlogic::{self, Issue};
use serde_json::{json, Value as Json};

use crate::read_file;

/// The `--batch` contract, kept stable because harnesses depend on it.
const BATCH_HELP: &str = "\
Batch mode (--batch): reads JSON lines {\"logic\": L, \"data\": D} from stdin (an absent \"data\"
is null) and writes exactly one line per input line to stdout, in order, flushed after each:
{\"value\": V} with the result, or {\"error\": \"...\"} for an invalid expression, a failed
evaluation, a line that is not JSON or a line without \"logic\". Blank lines are skipped and
give no output. A bad line never stops the stream; the exit status is 0 once stdin ends.";

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Evaluate LOGIC_FILE on DATA_FILE and print the result as one JSON line (exit 0); an
    /// invalid expression or a failed evaluation exits 1, an unreadable file or one that is not
    /// JSON exits 2. With --batch, evaluate a stream of cases from stdin instead.
    #[command(after_help = BATCH_HELP)]
    Eval(EvalArgs),
    /// Validate a CertLogic expression: print each issue as `PATH: message` (PATH a JSON
    /// pointer, `/` for the whole expression), or `valid`. Exit 0 valid, 1 invalid, 2 unreadable.
    Validate {
        /// The expression, a JSON file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(clap::Args)]
pub(crate) struct EvalArgs {
    /// Read `{"logic": L, "data": D}` lines from stdin, answer one line each (see below).
    #[arg(long, conflicts_with_all = ["logic", "data"])]
    batch: bool,
    /// The expression, a JSON file.
    #[arg(value_name = "LOGIC_FILE", required_unless_present = "batch")]
    logic: Option<PathBuf>,
    /// The data it reads (`var`), a JSON file.
    #[arg(value_name = "DATA_FILE", required_unless_present = "batch")]
    data: Option<PathBuf>,
}

pub(crate) fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Eval(EvalArgs { batch: true, .. }) => batch(),
        Command::Eval(EvalArgs {
            logic: Some(logic),
            data: Some(data),
            ..
        }) => eval(&logic, &data),
        // clap requires both files without --batch.
        Command::Eval(_) => Err("certlogic eval: give LOGIC_FILE and DATA_FILE, or --batch".into()),
        Command::Validate { file } => validate(&file),
    }
}

fn eval(logic: &Path, data: &Path) -> Result<ExitCode, String> {
    let (logic, data) = (read_json(logic)?, read_json(data)?);
    match certlogic::evaluate_json(&logic, &data) {
        Ok(value) => {
            println!("{value}");
            Ok(ExitCode::SUCCESS)
        }
        Err(certlogic::Error::Invalid(invalid)) => {
            for issue in &invalid.issues {
                eprintln!("dcc-verify: invalid CertLogic at {}", issue_line(issue));
            }
            Ok(ExitCode::from(1))
        }
        Err(certlogic::Error::Eval(error)) => {
            eprintln!("dcc-verify: evaluation error: {error}");
            Ok(ExitCode::from(1))
        }
    }
}

fn validate(file: &Path) -> Result<ExitCode, String> {
    let issues = certlogic::validate(&read_json(file)?);
    if issues.is_empty() {
        println!("valid");
        return Ok(ExitCode::SUCCESS);
    }
    for issue in &issues {
        println!("{}", issue_line(issue));
    }
    Ok(ExitCode::from(1))
}

/// `PATH: message`, the whole expression's path written `/` as the library's messages do.
fn issue_line(issue: &Issue) -> String {
    let path = if issue.path.is_empty() {
        "/"
    } else {
        &issue.path
    };
    format!("{path}: {}", issue.message)
}

/// Answers stdin line by line (see [`BATCH_HELP`]); only an I/O error ends it early.
fn batch() -> Result<ExitCode, String> {
    let mut input = std::io::stdin().lock();
    let mut output = std::io::stdout().lock();
    let mut line = Vec::new();
    loop {
        line.clear();
        // Bytes, not `lines()`: a line that is not UTF-8 is one more `{"error"}`, not the end.
        let read = input
            .read_until(b'\n', &mut line)
            .map_err(|e| format!("stdin: {e}"))?;
        if read == 0 {
            return Ok(ExitCode::SUCCESS);
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let answer = match batch_case(&line) {
            Ok(value) => json!({ "value": value }),
            Err(error) => json!({ "error": error }),
        };
        // Flushed per line so that a harness can write a case and wait for its answer.
        writeln!(output, "{answer}")
            .and_then(|()| output.flush())
            .map_err(|e| format!("stdout: {e}"))?;
    }
}

fn batch_case(line: &[u8]) -> Result<Json, String> {
    let case: Json = serde_json::from_slice(line).map_err(|e| format!("not JSON: {e}"))?;
    let logic = case
        .get("logic")
        .ok_or("not an object with a \"logic\" member")?;
    let data = case.get("data").unwrap_or(&Json::Null);
    certlogic::evaluate_json(logic, data).map_err(|e| e.to_string())
}

fn read_json(path: &Path) -> Result<Json, String> {
    serde_json::from_slice(&read_file(path)?)
        .map_err(|e| format!("{}: not JSON: {e}", path.display()))
}
