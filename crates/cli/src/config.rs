//! The configuration file (`homeward.toml`, named by `--config` or `HOMEWARD_CONFIG`):
//! every setting of every command, under the environment and the command line.
//!
//! A setting is named as its flag with `_` for `-` (`database_url`, `grace_seconds`). Keys
//! at the top of the file apply to every command that has the setting; a table named after
//! a command (`[serve]`, `[backup]`, `[user.add]`) applies to that command only and wins
//! over the top. The file's values become command-line flags for the settings neither the
//! command line nor the environment gave, so clap checks them as it checks flags, and what
//! comes from where stays known for `homeward config check`. A key that is no setting is
//! refused, named with its table, so a typo never passes for a setting in force.

use anyhow::{Context, Result, anyhow, bail};
use clap::parser::ValueSource;
use clap::{ArgAction, ArgMatches, Command};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Where a setting in force came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag,
    Environment(String),
    File(PathBuf),
    Default,
    Unset,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Flag => write!(f, "command line"),
            Source::Environment(v) => write!(f, "environment {v}"),
            Source::File(p) => write!(f, "file {}", p.display()),
            Source::Default => write!(f, "default"),
            Source::Unset => write!(f, "not set"),
        }
    }
}

/// The file as read, with its path.
pub struct File {
    pub path: PathBuf,
    table: toml::Table,
}

impl File {
    pub fn read(path: &Path) -> Result<File> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        let table: toml::Table = text
            .parse()
            .map_err(|e| anyhow!("the configuration file {}: {e}", path.display()))?;
        Ok(File {
            path: path.to_owned(),
            table,
        })
    }

    /// The value for `key` of the command at `path`: its own table first, then the top.
    fn value(&self, path: &[String], key: &str) -> Option<(&toml::Value, String)> {
        let mut at = &self.table;
        let mut found = self.table.get(key).map(|v| (v, key.to_owned()));
        for (i, name) in path.iter().enumerate() {
            match at.get(name).and_then(|v| v.as_table()) {
                Some(t) => at = t,
                None => break,
            }
            if let Some(v) = at.get(key) {
                found = Some((v, format!("[{}] {key}", path[..=i].join("."))));
            }
        }
        found
    }

    /// Keys that are neither a setting nor a command where they stand, as `[table] key`.
    pub fn unknown_keys(&self, root: &Command) -> Vec<String> {
        let mut out = Vec::new();
        let every: Vec<String> = all_commands(root)
            .iter()
            .flat_map(|c| settings(root, c))
            .map(|a| a.get_id().to_string())
            .collect();
        for (k, v) in &self.table {
            if let (Some(sub), Some(t)) = (root.find_subcommand(k), v.as_table()) {
                unknown_in(root, sub, t, k, &mut out);
            } else if !every.contains(k) {
                out.push(k.clone());
            }
        }
        out
    }
}

fn unknown_in(root: &Command, cmd: &Command, t: &toml::Table, at: &str, out: &mut Vec<String>) {
    for (k, v) in t {
        if let (Some(sub), Some(inner)) = (cmd.find_subcommand(k), v.as_table()) {
            unknown_in(root, sub, inner, &format!("{at}.{k}"), out);
        } else if !settings(root, cmd).iter().any(|a| a.get_id() == k.as_str()) {
            out.push(format!("[{at}] {k}"));
        }
    }
}

fn all_commands(c: &Command) -> Vec<&Command> {
    let mut out = vec![c];
    for s in c.get_subcommands() {
        out.extend(all_commands(s));
    }
    out
}

/// The settings of a command: its flags and the program's global flags (not positional
/// arguments, which name what a command works on, nor help, version or the file itself).
fn settings<'a>(root: &'a Command, cmd: &'a Command) -> Vec<&'a clap::Arg> {
    let mut out: Vec<&clap::Arg> = Vec::new();
    for a in root.get_arguments().chain(cmd.get_arguments()) {
        let id = a.get_id().as_str();
        let skip = a.is_positional()
            || matches!(id, "help" | "version" | "config")
            || matches!(a.get_action(), ArgAction::Help | ArgAction::Version);
        if !skip && !out.iter().any(|o| o.get_id() == a.get_id()) {
            out.push(a);
        }
    }
    out
}

/// The names of the subcommands chosen, and the innermost one's matches.
fn chosen(m: &ArgMatches) -> (Vec<String>, &ArgMatches) {
    let mut path = Vec::new();
    let mut at = m;
    while let Some((name, inner)) = at.subcommand() {
        path.push(name.to_owned());
        at = inner;
    }
    (path, at)
}

fn as_flag_value(v: &toml::Value, key: &str) -> Result<String> {
    Ok(match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        _ => bail!("{key}: give a text, a number or true/false"),
    })
}

/// One setting of the command being run, with its value and where it came from.
pub struct Setting {
    pub name: String,
    pub value: Option<String>,
    pub source: Source,
}

/// The command line as parsed once the file's settings are added, with where each of the
/// chosen command's settings came from.
pub struct Parsed {
    pub matches: ArgMatches,
    pub settings: Vec<Setting>,
    pub file: Option<PathBuf>,
    /// Keys of the file that are no setting (only when checking; otherwise refused).
    pub unknown: Vec<String>,
}

/// How strictly the command line is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// To run a command: a key that is no setting is refused.
    Run,
    /// For `config check`: unknown keys and settings a command requires are reported, not
    /// refused.
    Check,
}

/// Parses `argv` against `root`, filling what neither the command line nor the environment
/// set from the configuration file named by `--config` or `HOMEWARD_CONFIG`.
pub fn parse(root: Command, argv: Vec<OsString>, mode: Mode) -> Result<Parsed, clap::Error> {
    // A first, lenient pass finds the command and the file; a setting the file holds may
    // be one the command requires.
    let first = root
        .clone()
        .ignore_errors(true)
        .try_get_matches_from(&argv)?;
    let file_path = first.get_one::<PathBuf>("config").cloned();
    let file = match &file_path {
        Some(p) => Some(File::read(p).map_err(|e| usage_error(&root, e))?),
        None => None,
    };
    let (path, leaf) = chosen(&first);
    // `config check` reports the file's mistakes instead of refusing to run.
    let mode = if path.first().is_some_and(|c| c == "config") {
        Mode::Check
    } else {
        mode
    };
    let mut cmd = &root;
    for name in &path {
        cmd = cmd.find_subcommand(name).unwrap_or(cmd);
    }
    let mut argv = argv;
    let mut from_file = Vec::new();
    let mut unknown = Vec::new();
    if let Some(f) = &file {
        unknown = f.unknown_keys(&root);
        if !unknown.is_empty() && mode == Mode::Run {
            return Err(usage_error(
                &root,
                anyhow!(
                    "the configuration file {} holds what is no setting: {} (see `homeward config check`)",
                    f.path.display(),
                    unknown.join(", ")
                ),
            ));
        }
        for a in settings(&root, cmd) {
            let id = a.get_id().as_str();
            let given = matches!(
                source_in(leaf, id).or_else(|| source_in(&first, id)),
                Some(ValueSource::CommandLine | ValueSource::EnvVariable)
            );
            let Some((v, key)) = (!given).then(|| f.value(&path, id)).flatten() else {
                continue;
            };
            let Some(long) = a.get_long() else { continue };
            let text = as_flag_value(v, &key).map_err(|e| usage_error(&root, e))?;
            match a.get_action() {
                ArgAction::SetTrue if text == "true" => argv.push(format!("--{long}").into()),
                ArgAction::SetTrue if text == "false" => {}
                ArgAction::SetTrue => {
                    return Err(usage_error(
                        &root,
                        anyhow!("{key} in {}: give true or false", f.path.display()),
                    ));
                }
                _ => argv.push(format!("--{long}={text}").into()),
            }
            from_file.push(id.to_owned());
        }
    }
    let matches = match root.clone().try_get_matches_from(&argv) {
        Err(e)
            if mode == Mode::Check
                && e.kind() == clap::error::ErrorKind::MissingRequiredArgument =>
        {
            root.clone()
                .ignore_errors(true)
                .try_get_matches_from(&argv)?
        }
        other => other?,
    };
    let (_, leaf) = chosen(&matches);
    let settings = settings(&root, cmd)
        .into_iter()
        .map(|a| {
            let id = a.get_id().as_str();
            let source = source_in(leaf, id).or_else(|| source_in(&matches, id));
            let source = if from_file.iter().any(|f| f == id) {
                Source::File(file_path.clone().unwrap_or_default())
            } else {
                match source {
                    Some(ValueSource::CommandLine) => Source::Flag,
                    Some(ValueSource::EnvVariable) => Source::Environment(
                        a.get_env()
                            .map(|e| e.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    ),
                    Some(ValueSource::DefaultValue) => Source::Default,
                    _ => Source::Unset,
                }
            };
            Setting {
                name: id.to_owned(),
                value: shown(leaf, id).or_else(|| shown(&matches, id)),
                source,
            }
        })
        .collect();
    Ok(Parsed {
        matches,
        settings,
        file: file_path,
        unknown,
    })
}

/// Where `id`'s value came from, when these matches know `id` at all.
fn source_in(m: &ArgMatches, id: &str) -> Option<ValueSource> {
    m.ids()
        .any(|i| i.as_str() == id)
        .then(|| m.value_source(id))
        .flatten()
}

/// A setting's value as a person reads it, with the password of an address hidden.
fn shown(m: &ArgMatches, id: &str) -> Option<String> {
    let raw = m.try_get_raw(id).ok().flatten()?;
    let v: Vec<String> = raw.map(|v| v.to_string_lossy().into_owned()).collect();
    let v = v.join(", ");
    Some(if v.contains("://") {
        homeward_store::redact_url(&v)
    } else {
        v
    })
}

fn usage_error(root: &Command, e: anyhow::Error) -> clap::Error {
    root.clone()
        .error(clap::error::ErrorKind::InvalidValue, format!("{e:#}"))
}
