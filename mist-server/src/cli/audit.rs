//! `mist audit verify`: proves the audit trail intact or names the first broken record.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::Subcommand;
use mist_server::store::audit::AuditVerification;

use super::DatabaseArgs;

/// Commands on the audit trail.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every record's hash and link; exit 0 when intact, 1 at the first broken record.
    Verify {
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Runs a `mist audit` command.
pub fn run(command: AuditCommand) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        match command {
            AuditCommand::Verify { database } => {
                let store = database.open().await?;
                match store.verify_audit().await? {
                    AuditVerification::Intact(count) => {
                        println!("audit trail intact: {count} records");
                        Ok(ExitCode::SUCCESS)
                    }
                    AuditVerification::Broken(broken) => {
                        eprintln!("audit trail broken: {broken}");
                        Ok(ExitCode::from(super::EXIT_INVALID))
                    }
                }
            }
        }
    })
}
