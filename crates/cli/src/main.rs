//! The `homeward` binary: parses the command line and wires the store, formats and web
//! server together. The only place `anyhow` is used.

mod backup;
mod config;
mod retention;

use anyhow::{Context, Result};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use homeward_store::Store;
use std::net::SocketAddr;

#[derive(Parser)]
#[command(
    name = "homeward",
    version,
    about = "Homeward: return and reintegration of migrants"
)]
struct Cli {
    /// How log lines are written to standard error: text for people, json (one object a
    /// line, with the request id) for log collectors.
    #[arg(long, global = true, env = "HOMEWARD_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    log_format: String,
    /// A configuration file (TOML) holding any setting of any command, under the command
    /// line and the environment; see `homeward config check`.
    #[arg(long, global = true, env = "HOMEWARD_CONFIG")]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct Db {
    /// SQLite file path (default homeward.db) or postgres://user@host/db
    #[arg(long, env = "HOMEWARD_DATABASE_URL", default_value = "homeward.db")]
    database_url: String,
    /// A file holding the key of an encrypted SQLite database (SQLCipher) on its first
    /// line, readable by its owner only; never the key itself on the command line.
    #[arg(long, env = "HOMEWARD_DATABASE_KEY_FILE")]
    database_key_file: Option<std::path::PathBuf>,
}

impl Db {
    /// The database key, when a key file is named.
    fn key(&self) -> Result<Option<homeward_store::DatabaseKey>> {
        Ok(match &self.database_key_file {
            Some(f) => Some(homeward_store::DatabaseKey::from_file(f)?),
            None => None,
        })
    }
}

/// Email of notifications. Without an SMTP address no email is sent.
#[derive(clap::Args, Clone)]
struct MailArgs {
    /// SMTP server for notification emails: smtp://host:25 (plain), smtp://host:587?tls=required
    /// (STARTTLS) or smtps://user:password@host:465 (TLS).
    #[arg(long, env = "HOMEWARD_SMTP_URL")]
    smtp_url: Option<String>,
    /// Who notification emails come from.
    #[arg(
        long,
        env = "HOMEWARD_MAIL_FROM",
        default_value = "Homeward <homeward@localhost>"
    )]
    mail_from: String,
    /// The address people open Homeward at, for the links in emails (default: the
    /// listen address over http).
    #[arg(long, env = "HOMEWARD_PUBLIC_URL")]
    public_url: Option<String>,
    /// The hour (UTC, 0-23) the daily digest of notifications goes out.
    #[arg(long, env = "HOMEWARD_DIGEST_HOUR", default_value_t = 6, value_parser = clap::value_parser!(u8).range(0..24))]
    digest_hour: u8,
    /// Seconds between two passes of the notification emailer.
    #[arg(long, env = "HOMEWARD_MAIL_EVERY", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    mail_every: u64,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web pages and the API.
    Serve {
        #[command(flatten)]
        db: Db,
        /// Address to listen on.
        #[arg(long, env = "HOMEWARD_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Fill an empty database with the demo data set first, and (re)set the demo
        /// users' password, printed at start.
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure (sent over HTTPS only). Default: on, except when listening
        /// on a loopback address, where browsers are reached over plain HTTP.
        #[arg(long, env = "HOMEWARD_SECURE_COOKIES")]
        secure_cookies: Option<bool>,
        /// Take client addresses from X-Forwarded-For (only behind a reverse proxy).
        #[arg(long, env = "HOMEWARD_TRUST_PROXY")]
        trust_proxy: bool,
        #[command(flatten)]
        mail: MailArgs,
        /// How old an exchange rate may be, in days before a payment, before the payment
        /// waits for the person to confirm it.
        #[arg(long, env = "HOMEWARD_RATE_MAX_AGE_DAYS", default_value_t = 31)]
        rate_max_age_days: u32,
        /// On SIGTERM or Ctrl-C, how many seconds the requests in flight have to finish
        /// before the server stops anyway.
        #[arg(long, env = "HOMEWARD_GRACE_SECONDS", default_value_t = 30)]
        grace_seconds: u64,
        /// Where Prometheus scrapes /metrics: an address of its own, not the public one;
        /// `off` serves no metrics.
        #[arg(
            long,
            env = "HOMEWARD_METRICS_LISTEN",
            default_value = "127.0.0.1:9464"
        )]
        metrics_listen: String,
        /// Anonymise what is past its term once a day (the first server to look each day
        /// does it for all); `false` leaves it to `homeward retention run`.
        #[arg(long, env = "HOMEWARD_RETENTION_DAILY", default_value_t = true, action = clap::ArgAction::Set)]
        retention_daily: bool,
    },
    /// User accounts.
    User {
        #[command(subcommand)]
        what: UserCommand,
    },
    /// Exchange rates to USD.
    Rates {
        #[command(subcommand)]
        what: RatesCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        what: AuditCommand,
    },
    /// Encryption at rest of an SQLite database: encrypt a plain file, change its key.
    Db {
        #[command(subcommand)]
        what: DbCommand,
    },
    /// How long closed cases are kept: anonymise what is past its term.
    Retention {
        #[command(subcommand)]
        what: RetentionCommand,
    },
    /// A project's indicators bound to its case data.
    Project {
        #[command(subcommand)]
        what: ProjectCommand,
    },
    /// Write a consistent, checked copy of the database while the server keeps serving
    /// (SQLite: its own online copy; PostgreSQL: pg_dump in custom format).
    Backup {
        #[command(flatten)]
        db: Db,
        /// The file to write (must not exist).
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Restore a backup into an empty database (--force to replace what one holds).
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        #[command(flatten)]
        db: Db,
        /// Replace what the database holds.
        #[arg(long)]
        force: bool,
    },
    /// The configuration file and the settings in force.
    Config {
        #[command(subcommand)]
        what: ConfigCommand,
    },
    /// Bring the database schema up to date.
    Migrate {
        #[command(flatten)]
        db: Db,
    },
    /// Import projects from a file: all of it or nothing.
    Import {
        #[command(subcommand)]
        what: ImportKind,
    },
    /// Export the portfolio (or the projects a search matches) to a file, or a survey
    /// instrument as XLSForm (for ODK Collect and KoboToolbox) or as our TOML format.
    Export {
        /// iati (IATI 2.03 XML), hxl (HXL-tagged CSV), csv or xlsx for projects;
        /// xlsform or instrument (TOML) for a survey instrument.
        #[arg(value_parser = ["iati", "hxl", "csv", "xlsx", "xlsform", "instrument"])]
        format: String,
        /// The instrument version to export (default: the current one).
        #[arg(long)]
        instrument: Option<i64>,
        /// The file to write.
        #[arg(long)]
        out: std::path::PathBuf,
        /// A catalogue search as in the URL, e.g. "region=Europe&status=active".
        #[arg(long, default_value = "")]
        query: String,
        #[command(flatten)]
        db: Db,
    },
    /// Show or edit a reference list: IDF regions or project types.
    Reference {
        /// regions or types
        #[arg(value_parser = ["regions", "types"])]
        list: String,
        /// Add a value.
        #[arg(long, conflicts_with = "rename")]
        add: Option<String>,
        /// Rename the value with this id (see the listing) ...
        #[arg(long, requires = "to")]
        rename: Option<i64>,
        /// ... to this name.
        #[arg(long)]
        to: Option<String>,
        #[command(flatten)]
        db: Db,
    },
    /// Load the demo data set: the published projects plus synthetic ones.
    Demo {
        #[command(flatten)]
        db: Db,
        /// How many synthetic projects to add to the published ones.
        #[arg(long, default_value_t = 200)]
        projects: usize,
        /// How many synthetic returnees (each with a case) to add, with the demo offices,
        /// users and the published story's case, and the caseworkers to carry them.
        #[arg(long, default_value_t = 0)]
        returnees: usize,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account (the first administrator, for instance).
    Add {
        #[arg(long)]
        email: String,
        /// administrator, office_manager, caseworker, programme_manager, me_officer or partner
        #[arg(long)]
        role: String,
        /// The office's name; it is created if it does not exist and --office-country is given.
        #[arg(long)]
        office: String,
        /// Country (ISO code) of a new office.
        #[arg(long)]
        office_country: Option<String>,
        /// Kind of a new office: iom_mission, government or partner.
        #[arg(long, default_value = "iom_mission")]
        office_kind: String,
        /// The person's name (default: the email).
        #[arg(long)]
        name: Option<String>,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: Db,
    },
}

#[derive(Subcommand)]
enum RatesCommand {
    /// Import a CSV table (currency, date, usd_per_unit[, source]): every row or none.
    Import {
        file: std::path::PathBuf,
        /// Source recorded for rows that name none.
        #[arg(long, default_value = "import")]
        source: String,
        #[command(flatten)]
        db: Db,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check every entry's hash and link; exits 1 and says where if the trail was changed.
    Verify {
        #[command(flatten)]
        db: Db,
    },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Encrypt the plain SQLite file in place with the key in HOMEWARD_DATABASE_KEY_FILE
    /// (stop every server using it first; back it up before).
    Encrypt {
        #[command(flatten)]
        db: Db,
    },
    /// Change the key of the encrypted SQLite file: the current key's file in
    /// HOMEWARD_DATABASE_KEY_FILE, the new one's with --new-key-file.
    Rekey {
        #[command(flatten)]
        db: Db,
        #[arg(long)]
        new_key_file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Anonymise every record whose cases are all past their office's term (or their own)
    /// and not held; `--dry-run` lists them and changes nothing. `serve` does the same
    /// once a day.
    Run {
        #[command(flatten)]
        db: Db,
        /// List what would be anonymised, change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print the settings a command would run with and where each comes from (command
    /// line, environment, configuration file or default); name the file's keys that are
    /// no setting and exit 1 if there are any.
    Check {
        /// The command whose settings to show, e.g. `serve` or `user add`.
        #[arg(default_values_t = ["serve".to_owned()])]
        command: Vec<String>,
    },
}

#[derive(Subcommand)]
enum ImportKind {
    /// An IATI 2.03 activities file from any publisher.
    Iati {
        file: std::path::PathBuf,
        #[command(flatten)]
        db: Db,
    },
    /// A CSV or XLSX table of projects with a header row.
    Projects {
        file: std::path::PathBuf,
        #[command(flatten)]
        db: Db,
    },
    /// A survey instrument version in Homeward's TOML format (as `export instrument`
    /// writes it); an official instrument is loaded the same way.
    Instrument {
        file: std::path::PathBuf,
        /// Make it current at once: new surveys use it and every survey is scored by it.
        #[arg(long)]
        adopt: bool,
        #[command(flatten)]
        db: Db,
    },
}

#[derive(Subcommand)]
enum ProjectCommand {
    /// Bind an indicator of a project's results framework to a measure of its cases, so
    /// the project page shows its value from the cases each day; `none` unbinds it.
    Bind {
        /// The project's Projects ID, e.g. RN.0001.
        projects_id: String,
        /// The indicator's place: outcome.output.item, e.g. 1.0.2.
        indicator: String,
        /// returnees_registered, returnees_assisted, plans_approved, share_high_composite
        /// or none.
        measure: String,
        #[command(flatten)]
        db: Db,
    },
}

/// How often a server stores the dashboards' facts it holds, when they changed.
const STORE_FACTS_EVERY_SECONDS: u64 = 600;

/// Synthetic projects `serve --demo` adds to the published ones: enough to make search,
/// filters and pages worth trying.
const DEMO_PROJECTS: usize = 200;

/// Resolves when SIGTERM or Ctrl-C arrives: the server then accepts no new connection and
/// finishes the requests in flight; should they take longer than `grace`, it stops anyway.
async fn stop_asked(grace: std::time::Duration) {
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = term => {}
    }
    // Said where a person runs the server; an output nobody reads any more (a closed
    // pipe) must not stop the shutdown.
    say(&format!(
        "Stopping: no new connections; finishing the requests in flight (at most {} s).",
        grace.as_secs()
    ));
    tokio::spawn(async move {
        tokio::time::sleep(grace).await;
        eprintln!(
            "Stopped after {} s with requests still in flight.",
            grace.as_secs()
        );
        std::process::exit(1);
    });
}

/// Serves `/metrics` on its own address; a server whose metrics address is taken (a second
/// server on one machine, say) still serves its pages, and says so.
async fn serve_metrics(at: SocketAddr, app: axum::Router) {
    match tokio::net::TcpListener::bind(at).await {
        Ok(l) => {
            let shown = l.local_addr().unwrap_or(at);
            say(&format!(
                "Metrics for Prometheus at {shown}/metrics (not public)."
            ));
            tokio::spawn(async move {
                if let Err(e) = axum::serve(l, app).await {
                    tracing::warn!("the metrics listener stopped: {e}");
                }
            });
        }
        Err(e) => tracing::warn!("no metrics served: cannot listen on {at}: {e}"),
    }
}

/// Prints a line, ignoring an output that can no longer be written.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// The stores a command opened: what it wrote into the audit trail is sealed before it
/// exits, so that no entry of a console command waits for a server to chain it.
static OPENED: std::sync::Mutex<Vec<Store>> = std::sync::Mutex::new(Vec::new());

fn seal_opened() -> Result<()> {
    let stores = std::mem::take(&mut *OPENED.lock().unwrap_or_else(|p| p.into_inner()));
    for s in stores {
        s.seal_audit().context("could not seal the audit trail")?;
    }
    Ok(())
}

/// Seals the audit trail every moment while the server runs; the first failure of a run
/// of them is logged (the database may be changing primary), and the recovery.
fn start_sealer(store: Store) {
    std::thread::spawn(move || {
        let mut failing = false;
        loop {
            std::thread::sleep(std::time::Duration::from_millis(250));
            match store.seal_audit() {
                Ok(_) if failing => {
                    failing = false;
                    tracing::info!("the audit trail is sealed again");
                }
                Ok(_) => {}
                Err(e) if !failing => {
                    failing = true;
                    tracing::warn!("could not seal the audit trail, will keep trying: {e}");
                }
                Err(_) => {}
            }
        }
    });
}

/// The SQLite file a command names, or why it names none.
fn sqlite_file(db: &Db) -> Result<&str> {
    if homeward_store::Backend::of_url(&db.database_url) == homeward_store::Backend::Postgres {
        anyhow::bail!(
            "only an SQLite file is encrypted by Homeward; PostgreSQL is kept encrypted by its \
             disks and TLS (docs/operations.md)"
        );
    }
    Ok(db
        .database_url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:"))
}

/// Opens the database (bringing its schema up to date) for a command that only reads.
fn open_to_read(db: &Db) -> Result<Store> {
    Store::open_keyed(&db.database_url, db.key()?).with_context(|| {
        format!(
            "could not open the database {}",
            homeward_store::redact_url(&db.database_url)
        )
    })
}

/// Opens the database for a command that writes: its audit entries are sealed at the end.
fn open(db: &Db) -> Result<Store> {
    let store = open_to_read(db)?;
    OPENED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(store.clone());
    if homeward_interop::survey::install_default(&store)?.is_some() {
        println!("Homeward's own well-being survey instrument was installed and adopted.");
    }
    Ok(store)
}

/// `export xlsform|instrument`: a stored instrument version (or the current one) to a file.
fn export_instrument(
    store: &Store,
    format: &str,
    id: Option<i64>,
    out: &std::path::Path,
) -> Result<()> {
    let (id, instrument) = match id {
        Some(id) => (
            id,
            store
                .instrument(id)?
                .with_context(|| format!("no survey instrument {id}"))?
                .1,
        ),
        None => store
            .current_instrument()?
            .context("no survey instrument is adopted; give --instrument ID")?,
    };
    let bytes = if format == "xlsform" {
        homeward_interop::survey::xlsform::write_xlsform(&instrument)?
    } else {
        homeward_interop::survey::write_instrument(&instrument)?.into_bytes()
    };
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "Wrote {} ({} version {}, instrument {id}).",
        out.display(),
        instrument.code(),
        instrument.version()
    );
    Ok(())
}

/// `serve --demo`: projects into an empty database, then the demo offices, users and
/// cases, with a new password for the demo users.
fn load_demo_data(store: &Store) -> Result<()> {
    if store.project_count()? == 0 {
        let loaded = homeward_interop::demo::load_demo(store, DEMO_PROJECTS)?;
        println!(
            "Demo mode: the empty database was filled with {} published and {} synthetic projects.",
            loaded.seed, loaded.synthetic
        );
    } else {
        println!("Demo mode: the database already holds projects; none were added.");
    }
    let people =
        homeward_interop::demo::load_people(store, &homeward_interop::demo::demo_password())?;
    if people.cases_created > 0 {
        println!(
            "Demo mode: {} fictional cases were added.",
            people.cases_created
        );
    }
    println!(
        "Demo users (one per role in Norway and in Albania; community staff in Georgia and Samoa), all with the password: {}",
        people.password
    );
    for u in &people.users {
        println!("  {:<40} {:<18} {}", u.email, u.role.code(), u.office);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn add_user(
    db: &Db,
    email: &str,
    role: &str,
    office: &str,
    office_country: Option<&str>,
    office_kind: &str,
    name: Option<String>,
    password_stdin: bool,
) -> Result<()> {
    use homeward_domain::access::Role;
    use homeward_domain::account::{Email, OfficeDraft, display_name};
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--{e}"))?;
    let role: Role = role.parse().map_err(|e| anyhow::anyhow!("--role: {e}"))?;
    let name = display_name(name.as_deref().unwrap_or(email.as_str()))
        .map_err(|e| anyhow::anyhow!("--{e}"))?;
    let store = open(db)?;
    let office_id = match (store.office_by_name(office)?, office_country) {
        (Some(o), _) => o.id,
        (None, Some(country)) => {
            let d = OfficeDraft::parse(office, country, office_kind).map_err(|errs| {
                let l: Vec<String> = errs.iter().map(|e| format!("--office {e}")).collect();
                anyhow::anyhow!(l.join("; "))
            })?;
            let id = store.add_office_console(&d)?;
            println!("Office {:?} ({}) created.", d.name, d.country.as_str());
            id
        }
        (None, None) => anyhow::bail!(
            "there is no office called {office:?}; add --office-country XX (and --office-kind) to create it"
        ),
    };
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        (line.trim_end_matches(['\n', '\r']).to_owned(), false)
    } else {
        (homeward_interop::demo::demo_password(), true)
    };
    let user = homeward_store::access::users::NewUser {
        email: email.clone(),
        name,
        office_id,
        role,
    };
    store
        .add_user_console(&user, &password)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("User {email} ({}) added.", role.code());
    if generated {
        println!("Password (shown once): {password}");
    }
    Ok(())
}

/// `config check`: the settings of `command` as it would run now, and the file's mistakes.
fn check_config(file: Option<std::path::PathBuf>, command: &[String]) -> Result<()> {
    let mut argv: Vec<std::ffi::OsString> = vec!["homeward".into()];
    argv.extend(command.iter().map(Into::into));
    if let Some(f) = &file {
        argv.push(format!("--config={}", f.display()).into());
    }
    let parsed = config::parse(Cli::command(), argv, config::Mode::Check)?;
    match &parsed.file {
        Some(f) => println!("Configuration file: {}", f.display()),
        None => println!("No configuration file (--config or HOMEWARD_CONFIG)."),
    }
    println!("Settings of `homeward {}`:", command.join(" "));
    let width = parsed
        .settings
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(0);
    for s in &parsed.settings {
        println!(
            "  {:<width$}  {:<40}  {}",
            s.name,
            s.value.as_deref().unwrap_or("-"),
            s.source
        );
    }
    if !parsed.unknown.is_empty() {
        eprintln!(
            "The configuration file holds what is no setting: {}.",
            parsed.unknown.join(", ")
        );
        std::process::exit(1);
    }
    Ok(())
}

fn main() -> Result<()> {
    let cli = match config::parse(
        Cli::command(),
        std::env::args_os().collect(),
        config::Mode::Run,
    )
    .and_then(|p| Cli::from_arg_matches(&p.matches))
    {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("HOMEWARD_LOG")
        .unwrap_or_else(|_| "info".into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if cli.log_format == "json" {
        logs.json().with_current_span(true).init();
    } else {
        logs.init();
    }
    match cli.command {
        Command::Migrate { db } => {
            let store = Store::connect_keyed(&db.database_url, db.key()?)?;
            let ran = store.migrate()?;
            println!(
                "{ran} migration(s) applied; the {} database is up to date.",
                store.backend().name()
            );
        }
        Command::Project { what } => match what {
            ProjectCommand::Bind {
                projects_id,
                indicator,
                measure,
                db,
            } => {
                let at = homeward_domain::indicator_binding::IndicatorRef::parse(&indicator)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                let to = match measure.as_str() {
                    "none" => None,
                    m => Some(
                        m.parse::<homeward_domain::indicator_binding::CaseMeasure>()
                            .map_err(|e| anyhow::anyhow!("measure: {e} or none"))?,
                    ),
                };
                let store = open(&db)?;
                store.bind_indicator_console(&projects_id, at, to)?;
                match to {
                    Some(m) => println!("{projects_id} indicator {at} now counts {}.", m.label()),
                    None => println!("{projects_id} indicator {at} is no longer bound."),
                }
            }
        },
        Command::Import { what } => {
            let (file, db, iati) = match what {
                ImportKind::Iati { file, db } => (file, db, true),
                ImportKind::Projects { file, db } => (file, db, false),
                ImportKind::Instrument { file, adopt, db } => {
                    let name = file.display().to_string();
                    let text = std::fs::read_to_string(&file)
                        .with_context(|| format!("cannot read {name} as UTF-8 text"))?;
                    let instrument = homeward_interop::survey::read_instrument(&name, &text)?;
                    let store = open(&db)?;
                    let (id, scored) = store.load_instrument_console(&instrument, adopt)?;
                    println!(
                        "{name}: {} version {} stored as instrument {id}{}.",
                        instrument.code(),
                        instrument.version(),
                        scored
                            .map(|n| format!("; adopted, {n} survey(s) scored by it"))
                            .unwrap_or_else(|| "; not adopted (use --adopt)".to_owned())
                    );
                    return Ok(());
                }
            };
            let name = file.display().to_string();
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {name}"))?;
            let store = open(&db)?;
            let is_xlsx = file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
            let report = if iati {
                homeward_interop::iati::import_iati(&store, &name, &bytes)
            } else if is_xlsx {
                homeward_interop::xlsx_io::import_xlsx(&store, &name, &bytes)
            } else {
                homeward_interop::csv_io::import_csv(&store, &name, &bytes)
            }?;
            println!(
                "{name}: {} project(s) created, {} updated.",
                report.created, report.updated
            );
        }
        Command::Export {
            format,
            out,
            query,
            db,
            instrument,
        } => {
            let store = open(&db)?;
            if format == "xlsform" || format == "instrument" {
                export_instrument(&store, &format, instrument, &out)?;
                return Ok(());
            }
            if instrument.is_some() {
                anyhow::bail!("--instrument is for the xlsform and instrument formats");
            }
            let q = homeward_web::links::parse_search(&query).map_err(|errs| {
                let list: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
                anyhow::anyhow!("--query: {}", list.join("; "))
            })?;
            let format =
                homeward_interop::export::Format::parse(&format).context("unknown format")?;
            let bytes = homeward_interop::export::export(&store, &q, format, None)?;
            std::fs::write(&out, &bytes)
                .with_context(|| format!("cannot write {}", out.display()))?;
            // Exports are in the audit trail, from the console as from the pages.
            store.record(
                &homeward_store::Actor::console(),
                homeward_store::audit::Change::new(
                    homeward_domain::audit::Action::Export,
                    "project",
                    "",
                )
                .after(serde_json::json!({
                    "format": format!("{format:?}"), "query": query,
                    "file": out.display().to_string(), "bytes": bytes.len(),
                })),
            )?;
            println!("Wrote {}.", out.display());
        }
        Command::Reference {
            list,
            add,
            rename,
            to,
            db,
        } => {
            use homeward_store::catalogue::RefList;
            let which = if list == "regions" {
                RefList::IdfRegions
            } else {
                RefList::ProjectTypes
            };
            let store = open(&db)?;
            if let Some(name) = add {
                let id = store.add_list_entry(which, &name)?;
                println!("{name:?} is in the list as {id}.");
            }
            if let (Some(id), Some(name)) = (rename, to) {
                store.rename_list_entry(which, id, &name)?;
                println!("{id} is now {name:?}.");
            }
            for e in store.list_entries(which)? {
                println!("{:>4}  {}", e.id, e.name);
            }
        }
        Command::Demo {
            db,
            projects,
            returnees,
        } => {
            let store = open(&db)?;
            let loaded = homeward_interop::demo::load_demo(&store, projects)?;
            println!(
                "Demo data loaded: {} published projects and {} synthetic ones.",
                loaded.seed, loaded.synthetic
            );
            if returnees > 0 {
                let password = homeward_interop::demo::demo_password();
                homeward_interop::demo::load_people(&store, &password)?;
                let started = std::time::Instant::now();
                let r = homeward_interop::demo::load_returnees(&store, returnees, &password)?;
                println!(
                    "{} synthetic returnees and their cases added in {:.1} s, over {} offices \
                     and {} caseworkers. Demo and new caseworker accounts' password: {password}",
                    r.cases,
                    started.elapsed().as_secs_f64(),
                    r.offices,
                    r.caseworkers
                );
            }
        }
        Command::Serve {
            db,
            listen,
            demo,
            secure_cookies,
            trust_proxy,
            mail,
            rate_max_age_days,
            grace_seconds,
            metrics_listen,
            retention_daily,
        } => {
            let metrics_at: Option<SocketAddr> = match metrics_listen.as_str() {
                "off" => None,
                a => Some(a.parse().with_context(|| {
                    format!(
                        "--metrics-listen: {a:?} is not an address like 127.0.0.1:9464 (or off)"
                    )
                })?),
            };
            let store = open(&db)?;
            if demo {
                load_demo_data(&store)?;
            }
            let mailer = match &mail.smtp_url {
                Some(url) => Some(homeward_web::mail::Mailer::new(
                    &homeward_web::mail::MailSettings {
                        smtp_url: url.clone(),
                        from: mail.mail_from.clone(),
                        public_url: mail.public_url.clone(),
                        digest_hour: mail.digest_hour,
                    },
                )?),
                None => {
                    println!(
                        "No SMTP server given (--smtp-url): notifications stay in the application, no email is sent."
                    );
                    None
                }
            };
            let config = homeward_web::WebConfig {
                secure_cookies: secure_cookies.unwrap_or(!listen.ip().is_loopback()),
                trust_proxy,
                mail_server: mailer.as_ref().map(|m| m.server().to_owned()),
                rate_max_age_days,
            };
            if !config.secure_cookies {
                println!(
                    "Cookies are not marked Secure (plain HTTP on {listen}); serve through HTTPS in production."
                );
            }
            // The dashboards' facts are read while the first pages are served: at a million
            // cases that takes seconds, which no dashboard reader should wait for.
            let warm = store.clone();
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                match warm.warm_dashboards() {
                    Ok((cases, bytes)) => tracing::info!(
                        cases,
                        mib = bytes / (1 << 20),
                        seconds = started.elapsed().as_secs_f64(),
                        "dashboard facts read"
                    ),
                    Err(e) => tracing::warn!("dashboard facts not read at start: {e}"),
                }
                // Kept in the database as they change, for the next server to start from.
                loop {
                    match warm.store_dashboard_facts() {
                        Ok(Some(bytes)) => tracing::info!(
                            mib = bytes / (1 << 20),
                            "dashboard facts stored for the next start"
                        ),
                        Ok(None) => {}
                        Err(e) => tracing::warn!("dashboard facts not stored: {e}"),
                    }
                    std::thread::sleep(std::time::Duration::from_secs(STORE_FACTS_EVERY_SECONDS));
                }
            });
            start_sealer(store.clone());
            if retention_daily {
                let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
                retention::start_daily(store.clone(), format!("{} {listen}", host.trim()));
            }
            let rt = tokio::runtime::Runtime::new()?;
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind(listen)
                    .await
                    .with_context(|| format!("could not listen on {listen}"))?;
                let addr = listener.local_addr()?;
                let state = homeward_web::AppState::with_config(store.clone(), config);
                if let Some(at) = metrics_at {
                    serve_metrics(at, homeward_web::metrics::router(state.metrics.clone(), store.clone())).await;
                }
                println!("Homeward is running: open http://{addr}/projects (staff sign in at http://{addr}/signin)");
                tokio::spawn(homeward_web::mail::worker::run(
                    store.clone(),
                    mailer.map(|m| m.listening_on(addr)),
                    std::time::Duration::from_secs(mail.mail_every),
                ));
                let app = homeward_web::router(state);
                axum::serve(
                    listener,
                    app.into_make_service_with_connect_info::<SocketAddr>(),
                )
                .with_graceful_shutdown(stop_asked(std::time::Duration::from_secs(grace_seconds)))
                .await
                .context("the server stopped")
            })?;
            say("Stopped: every request in flight was answered.");
        }
        Command::User { what } => match what {
            UserCommand::Add {
                email,
                role,
                office,
                office_country,
                office_kind,
                name,
                password_stdin,
                db,
            } => add_user(
                &db,
                &email,
                &role,
                &office,
                office_country.as_deref(),
                &office_kind,
                name,
                password_stdin,
            )?,
        },
        Command::Rates { what } => match what {
            RatesCommand::Import { file, source, db } => {
                let name = file.display().to_string();
                let bytes = std::fs::read(&file).with_context(|| format!("cannot read {name}"))?;
                let entries = homeward_interop::rates::parse_rates(&name, &bytes, &source)?;
                let store = open(&db)?;
                let saved = store.import_rates_console(&entries)?;
                println!(
                    "{name}: {} rate(s) added, {} replaced.",
                    saved.created, saved.updated
                );
            }
        },
        Command::Config {
            what: ConfigCommand::Check { command },
        } => check_config(cli.config.clone(), &command)?,
        Command::Backup { db, out } => backup::backup(&db.database_url, db.key()?, &out)?,
        Command::Restore { file, db, force } => {
            backup::restore(&file, &db.database_url, db.key()?, force)?
        }
        Command::Db { what } => match what {
            DbCommand::Encrypt { db } => {
                let key = db
                    .key()?
                    .context("name the new key's file with HOMEWARD_DATABASE_KEY_FILE")?;
                homeward_store::db::key::encrypt_sqlite(sqlite_file(&db)?, &key)?;
                println!(
                    "{} is encrypted: open it with the same key file from now on.",
                    db.database_url
                );
            }
            DbCommand::Rekey { db, new_key_file } => {
                let old = db
                    .key()?
                    .context("name the current key's file with HOMEWARD_DATABASE_KEY_FILE")?;
                let new = homeward_store::DatabaseKey::from_file(&new_key_file)?;
                homeward_store::db::key::rekey_sqlite(sqlite_file(&db)?, &old, &new)?;
                println!(
                    "The key of {} is changed: open it with {} from now on.",
                    db.database_url,
                    new_key_file.display()
                );
            }
        },
        Command::Retention {
            what: RetentionCommand::Run { db, dry_run },
        } => retention::run(&open(&db)?, dry_run)?,
        Command::Audit { what } => match what {
            AuditCommand::Verify { db } => {
                let store = open_to_read(&db)?;
                let waiting = store.audit_unsealed()?;
                match store.audit_verify()? {
                    Ok(n) if waiting > 0 => println!(
                        "The audit trail is intact: {n} entries verified; {waiting} more written \
                         and not yet sealed (a running server seals them within a second)."
                    ),
                    Ok(n) => println!("The audit trail is intact: {n} entries verified."),
                    Err(b) => {
                        eprintln!("The audit trail was tampered with: {b}.");
                        std::process::exit(1);
                    }
                }
            }
        },
    }
    seal_opened()
}
