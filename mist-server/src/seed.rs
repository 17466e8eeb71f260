//! First start: the demo hospital and the first administrator, who gets a one-time sign-in link.

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
    let organization = store.create_organization(&organization).await?;
    demo_roster(store, organization.id).await?;
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

/// The demo hospital's staff roster (fictional people, no accounts), so that the compliance dashboard
/// shows something on a fresh server: tiers, departments, a contractor out of scope and a leaver.
const DEMO_ROSTER: &str = "職員番号,氏名,カナ,部署,職種,雇用形態,対象,階層,入職日,退職日
D001,院長 A(架空),インチョウ エー,院長室,医師,常勤,対象,経営者;初学者,2015-04-01,
D002,情報担当 B(架空),ジョウホウタントウ ビー,情報システム室,事務,常勤,対象,管理者;初学者,2018-04-01,
D003,看護師 C(架空),カンゴシ シー,3階病棟,看護師,常勤,対象,初学者,2020-04-01,
D004,薬剤師 D(架空),ヤクザイシ ディー,薬剤部,薬剤師,非常勤,対象,初学者,2022-10-01,
D005,医事 E(架空),イジ イー,医事課,事務,常勤,対象,初学者,2019-04-01,2025-09-30
D006,保守 F(架空),ホシュ エフ,情報システム室,技師,委託,対象外,管理者,2023-04-01,
";

async fn demo_roster(store: &Store, organization: uuid::Uuid) -> Result<(), SeedError> {
    let roster = mist_core::compliance::roster::parse(DEMO_ROSTER.as_bytes());
    if roster.is_valid() {
        store
            .import_roster(organization, &roster.entries, None)
            .await?;
    }
    Ok(())
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
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_roster_is_valid() {
        let roster = mist_core::compliance::roster::parse(super::DEMO_ROSTER.as_bytes());
        assert!(roster.problems.is_empty(), "{:?}", roster.problems);
        assert_eq!(roster.entries.len(), 6);
    }
}
