//! First start: the demo hospital and the first administrator, who gets a one-time sign-in link.

pub mod portal;

use time::Duration;

use crate::secret::{new_token, token_hash};
use crate::store::people::LoginLink;
use crate::store::{LinkPurpose, NewOrganization, Role, Store, StoreError};

/// How long the first administrator's sign-in link stays valid.
pub const FIRST_LINK_LIFETIME: Duration = Duration::hours(24);

/// What the first start created.
#[derive(Debug)]
pub struct FirstStart {
    /// The one-time sign-in token of the administrator (append to `/links/`).
    pub sign_in_token: String,
    /// The demo hospital's sign-up code.
    pub demo_join_code: String,
}

/// Seeds an empty database: a demo hospital and an administrator with a one-time sign-in link.
/// Returns `None` when people already exist (not a first start), also when another server process won
/// the race to seed the same PostgreSQL database.
pub async fn first_start(
    store: &Store,
    admin_email: &str,
) -> Result<Option<FirstStart>, SeedError> {
    if store.user_count().await? > 0 {
        return Ok(None);
    }
    let join_code = join_code()?;
    let organization = NewOrganization {
        name: "MIST デモ病院".into(),
        kind: "hospital".into(),
        licensed_beds: Some(400),
        prefecture: "東京都".into(),
        insurance_code: None,
        join_code: join_code.clone(),
    };
    let admin = match store
        .create_user(None, admin_email, "MIST 管理者", None, Role::Admin, None)
        .await
    {
        Ok(admin) => admin,
        Err(e) if e.is_unique_violation() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    store.create_organization(&organization).await?;
    let token = new_token().map_err(|e| SeedError::Randomness(e.to_string()))?;
    let link = LoginLink {
        user_id: Some(admin.id),
        organization_id: None,
        role: None,
        email: None,
    };
    store
        .create_link(
            &token_hash(&token),
            LinkPurpose::SignIn,
            &link,
            FIRST_LINK_LIFETIME,
        )
        .await?;
    Ok(Some(FirstStart {
        sign_in_token: token,
        demo_join_code: join_code,
    }))
}

/// A new organization code: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L).
pub fn join_code() -> Result<String, SeedError> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 8];
    getrandom::getrandom(&mut bytes).map_err(|e| SeedError::Randomness(e.to_string()))?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

/// Seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No randomness for tokens.
    #[error("no randomness available: {0}")]
    Randomness(String),
    /// Demo files could not be written.
    #[error("demo files: {0}")]
    Files(String),
}
