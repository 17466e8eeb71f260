//! `mist serve`: the training portal.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use mist_server::app::{open_store, prepare};
use mist_server::web::scorm::content_router;
use mist_server::web::{Config, router};

/// Options of `mist serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MIST_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Directory for the SQLite database and stored files.
    #[arg(long, env = "MIST_DATA_DIR", default_value = "./mist-data")]
    data_dir: PathBuf,
    /// A database URL instead of DATA_DIR/mist.db: `sqlite:PATH` or `postgres://…` (several servers
    /// may share one PostgreSQL database).
    #[arg(long, env = "MIST_DATABASE_URL")]
    database_url: Option<String>,
    /// The first administrator's address (used on the first start only).
    #[arg(long, env = "MIST_ADMIN_EMAIL", default_value = "admin@mist.local")]
    admin_email: String,
    /// The portal's address as people reach it (links in messages and certificates); defaults to
    /// http://ADDR.
    #[arg(long, env = "MIST_PUBLIC_URL")]
    public_url: Option<String>,
    /// An authored series or course directory to serve beside the built-in series (repeatable);
    /// it is checked as `mist course check` does, and the server does not start if it has errors.
    #[arg(long = "courses", value_name = "DIR")]
    course_dirs: Vec<PathBuf>,
    /// Address of the content listener that serves SCORM packages from a separate origin (default: the
    /// portal's port + 1).
    #[arg(long, env = "MIST_CONTENT_ADDR")]
    content_addr: Option<SocketAddr>,
    /// The content origin as browsers reach it (default: http://CONTENT_ADDR). Use another host name
    /// (such as content.example.jp) behind a proxy for the strongest isolation.
    #[arg(long, env = "MIST_CONTENT_URL")]
    content_url: Option<String>,
    /// The largest SCORM package accepted for upload, in megabytes.
    #[arg(long, env = "MIST_MAX_PACKAGE_MB", default_value_t = 1024)]
    max_package_mb: u64,
    /// The largest file accepted for the contents collection, in megabytes.
    #[arg(long, env = "MIST_MAX_CONTENT_MB", default_value_t = 200)]
    max_content_mb: u64,
    /// The incident desk's phone number, shown on every incident report's confirmation page.
    #[arg(long, env = "MIST_DESK_PHONE", default_value = mist_server::web::EXAMPLE_DESK_PHONE)]
    desk_phone: String,
    /// Mark cookies Secure: set when the portal is served over TLS (directly or behind a proxy).
    #[arg(long, env = "MIST_SECURE_COOKIES")]
    secure_cookies: bool,
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
    let store = open_store(&args.data_dir, args.database_url.as_deref()).await?;
    let backend = store.backend();
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("binding {}", args.addr))?;
    let local = listener.local_addr()?;
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    // The content origin defaults to the next port, or any free port when that one is taken.
    let content_addr = args
        .content_addr
        .unwrap_or_else(|| SocketAddr::new(local.ip(), local.port().wrapping_add(1)));
    let content_listener = match tokio::net::TcpListener::bind(content_addr).await {
        Ok(listener) => listener,
        Err(_) if args.content_addr.is_none() => {
            tokio::net::TcpListener::bind(SocketAddr::new(local.ip(), 0))
                .await
                .context("binding the content listener")?
        }
        Err(error) => {
            return Err(error)
                .with_context(|| format!("binding the content listener {content_addr}"));
        }
    };
    let content_local = content_listener.local_addr()?;
    let content_url = args
        .content_url
        .clone()
        .unwrap_or_else(|| default_content_url(content_local));
    let config = Config {
        secure_cookies: args.secure_cookies,
        public_url: public_url.clone(),
        content_url,
        data_dir: args.data_dir.clone(),
        max_package_bytes: args.max_package_mb.saturating_mul(1024 * 1024),
        max_content_bytes: args.max_content_mb.saturating_mul(1024 * 1024),
        desk_phone: args.desk_phone.clone(),
    };
    let (state, first) = prepare(store, &args.admin_email, config, &args.course_dirs).await?;
    tracing::info!(backend, "database ready");
    if let Some(first) = first {
        println!(
            "First start. Sign in once as {} (valid 24 hours): {public_url}/links/{}",
            args.admin_email, first.sign_in_token
        );
        println!(
            "Staff of the demo hospital sign up at {public_url}/join with the code {}",
            first.demo_join_code
        );
    }
    println!(
        "SCORM content is served from {}/",
        state.config.content_url.trim_end_matches('/')
    );
    println!("MIST is running: open {public_url}/ (Ctrl-C to stop)");
    // Sends due live-session messages (confirmations, reminders); safe with several servers on one
    // database, since each message is claimed by exactly one of them.
    mist_server::live_mail::spawn_sender(
        state.store.clone(),
        mist_server::live_mail::LogMailer,
        std::time::Duration::from_secs(30),
    );
    let content = content_router(state.clone());
    tokio::spawn(async move {
        let served = axum::serve(content_listener, content)
            .with_graceful_shutdown(shutdown_signal())
            .await;
        if let Err(error) = served {
            tracing::error!(%error, "content listener failed");
        }
    });
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

/// The content origin when none is given: another *site* than the portal, since browsers share a host's
/// cookies across ports. On the loopback address that is the other name of the same machine
/// (`localhost` for 127.0.0.1, and the reverse); elsewhere deployments should give `--content-url`
/// with a host name of its own.
fn default_content_url(content: SocketAddr) -> String {
    match content.ip() {
        std::net::IpAddr::V4(ip) if ip.is_loopback() => {
            format!("http://localhost:{}", content.port())
        }
        _ => {
            tracing::warn!(
                "SCORM content shares the portal's host name; give --content-url with a host of its own"
            );
            format!("http://{content}")
        }
    }
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
