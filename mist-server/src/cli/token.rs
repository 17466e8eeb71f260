//! `mist token create|list|revoke`: API tokens for automation.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::Subcommand;
use mist_server::secret::{new_token, token_hash};
use mist_server::store::Store;
use uuid::Uuid;

use super::DatabaseArgs;

/// API tokens for automation (`Authorization: Bearer TOKEN`, with the rights of their person).
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it (it is shown once; only its hash is stored).
    Create {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The person whose rights the token carries.
        #[arg(long)]
        user: String,
        /// What the token is for.
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// List a person's tokens.
    List {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The person.
        #[arg(long)]
        user: String,
    },
    /// Revoke a token by its id (from `list`).
    Revoke {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The token's id.
        id: Uuid,
    },
}

/// Runs a `mist token` command.
pub fn run(command: TokenCommand) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        match command {
            TokenCommand::Create {
                database,
                user,
                name,
            } => {
                let store = database.open().await?;
                let person = person(&store, &user).await?;
                let token = new_token()?;
                store
                    .create_api_token(person, &name, &token_hash(&token))
                    .await?;
                println!("{token}");
                Ok(ExitCode::SUCCESS)
            }
            TokenCommand::List { database, user } => {
                let store = database.open().await?;
                let person = person(&store, &user).await?;
                for (id, name, created, revoked) in store.api_tokens(person).await? {
                    let state = if revoked.is_some() {
                        "revoked"
                    } else {
                        "active"
                    };
                    println!("{id}  {state:<7}  {created}  {name}");
                }
                Ok(ExitCode::SUCCESS)
            }
            TokenCommand::Revoke { database, id } => {
                let store = database.open().await?;
                if store.revoke_api_token(id).await? {
                    println!("revoked {id}");
                    Ok(ExitCode::SUCCESS)
                } else {
                    eprintln!("no active token {id}");
                    Ok(ExitCode::from(super::EXIT_INVALID))
                }
            }
        }
    })
}

async fn person(store: &Store, email: &str) -> anyhow::Result<Uuid> {
    let (user, _) = store
        .user_with_password(email)
        .await?
        .with_context(|| format!("no person with the address {email}"))?;
    Ok(user.id)
}
