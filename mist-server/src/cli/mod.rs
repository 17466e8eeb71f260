//! Command-line arguments and dispatch.

use std::process::ExitCode;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use mist_server::app::open_store;
use mist_server::store::Store;

mod audit;
mod cert;
mod course;
mod report;
mod scorm;
mod scorm_check;
mod serve;
mod token;

/// Exit status for a usage or I/O error (clap uses the same for bad arguments).
pub const EXIT_USAGE_OR_IO: u8 = 2;
/// Exit status when the input was read but is not valid.
pub const EXIT_INVALID: u8 = 1;

/// MIST: hospital cybersecurity e-learning (医療機関向けセキュリティ教育).
#[derive(Debug, Parser)]
#[command(name = "mist", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check the audit trail (監査ログ).
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Issue and verify signed completion certificates (修了証).
    #[command(subcommand)]
    Cert(cert::CertCommand),
    /// Author and check courses.
    #[command(subcommand)]
    Course(course::CourseCommand),
    /// Compliance reports (診療録管理体制加算) and checking signed reports.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Export courses as SCORM packages for an LMS.
    #[command(subcommand)]
    Scorm(scorm::ScormCommand),
    /// Run the training portal with the built-in series.
    Serve(serve::ServeArgs),
    /// Create, list and revoke API tokens.
    #[command(subcommand)]
    Token(token::TokenCommand),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Audit(command) => audit::run(command),
        Command::Cert(command) => cert::run(command),
        Command::Course(command) => course::run(command),
        Command::Report(command) => report::run(command),
        Command::Scorm(command) => scorm::run(command),
        Command::Serve(args) => serve::run(args),
        Command::Token(command) => token::run(command),
    }
}

/// Where the database is: the same options as `mist serve`.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Directory of the SQLite database.
    #[arg(long, env = "MIST_DATA_DIR", default_value = "./mist-data")]
    data_dir: PathBuf,
    /// A database URL instead: `sqlite:PATH` or `postgres://…`.
    #[arg(long, env = "MIST_DATABASE_URL")]
    database_url: Option<String>,
}

impl DatabaseArgs {
    /// Opens the database (running any pending migrations).
    pub async fn open(&self) -> anyhow::Result<Store> {
        Ok(open_store(&self.data_dir, self.database_url.as_deref()).await?)
    }
}
