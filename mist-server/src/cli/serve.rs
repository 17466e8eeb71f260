//! `mist serve`: the training portal.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use mist_core::builtin;
use mist_server::db::{Db, Origin};
use mist_server::web::{AppState, SeriesInfo, router};

/// Options of `mist serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MIST_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Directory for the SQLite database and stored files.
    #[arg(long, env = "MIST_DATA_DIR", default_value = "./mist-data")]
    data_dir: PathBuf,
    /// A `sqlite:` database URL instead of `DATA_DIR/mist.db`.
    #[arg(long, env = "MIST_DATABASE_URL")]
    database_url: Option<String>,
}

/// Starts the portal with the built-in series and serves until Ctrl-C or SIGTERM.
pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(serve(args))?;
    Ok(ExitCode::SUCCESS)
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let db = match &args.database_url {
        Some(url) => Db::open_url(url).await?,
        None => {
            std::fs::create_dir_all(&args.data_dir)
                .with_context(|| format!("{}", args.data_dir.display()))?;
            Db::open_in(&args.data_dir).await?
        }
    };
    let outcome = builtin::load_series();
    let series = outcome
        .series
        .context("the built-in series is invalid; run `mist course list` for details")?;
    db.upsert_series(&series, Origin::Builtin).await?;
    let info = SeriesInfo {
        title: series.title.clone(),
        description: series.description.clone(),
        languages: series.languages.clone(),
    };
    let app = router(AppState::new(db, info)?);
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("binding {}", args.addr))?;
    let local = listener.local_addr()?;
    println!("MIST is running: open http://{local}/ (Ctrl-C to stop)");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
