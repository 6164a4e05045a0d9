//! The `homeward` binary: parses the command line and wires the store, formats and web
//! server together. The only place `anyhow` is used.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use homeward_store::Store;
use std::net::SocketAddr;

#[derive(Parser)]
#[command(
    name = "homeward",
    version,
    about = "Homeward: return and reintegration of migrants"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct Db {
    /// SQLite file path (default homeward.db) or postgres://user@host/db
    #[arg(long, env = "HOMEWARD_DATABASE_URL", default_value = "homeward.db")]
    database_url: String,
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
        /// Fill an empty database with the demo data set first.
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema up to date.
    Migrate {
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
    },
}

/// Synthetic projects `serve --demo` adds to the published ones: enough to make search,
/// filters and pages worth trying.
const DEMO_PROJECTS: usize = 200;

fn open(db: &Db) -> Result<Store> {
    Store::open(&db.database_url).with_context(|| {
        format!(
            "could not open the database {}",
            homeward_store::redact_url(&db.database_url)
        )
    })
}

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HOMEWARD_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Migrate { db } => {
            let store = Store::connect(&db.database_url)?;
            let ran = store.migrate()?;
            println!(
                "{ran} migration(s) applied; the {} database is up to date.",
                store.backend().name()
            );
        }
        Command::Demo { db, projects } => {
            let store = open(&db)?;
            let loaded = homeward_interop::demo::load_demo(&store, projects)?;
            println!(
                "Demo data loaded: {} published projects and {} synthetic ones.",
                loaded.seed, loaded.synthetic
            );
        }
        Command::Serve { db, listen, demo } => {
            let store = open(&db)?;
            if demo {
                if store.project_count()? == 0 {
                    let loaded = homeward_interop::demo::load_demo(&store, DEMO_PROJECTS)?;
                    println!(
                        "Demo mode: the empty database was filled with {} published and {} synthetic projects.",
                        loaded.seed, loaded.synthetic
                    );
                } else {
                    println!("Demo mode: the database already holds projects; nothing was added.");
                }
            }
            let rt = tokio::runtime::Runtime::new()?;
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind(listen)
                    .await
                    .with_context(|| format!("could not listen on {listen}"))?;
                let addr = listener.local_addr()?;
                println!("Homeward is running: open http://{addr}/projects");
                let app = homeward_web::router(homeward_web::AppState { store });
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = tokio::signal::ctrl_c().await;
                    })
                    .await
                    .context("the server stopped")
            })?;
        }
    }
    Ok(())
}
