//! Organizations, people, sessions, one-time links, sign-in failures, API tokens, outbox and settings.

use serde::Serialize;
use sqlx::FromRow;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::{Store, StoreError, execute, now, on_pool};

/// What a person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Takes courses.
    Learner,
    /// Manages their own organization's staff (医療情報システム安全管理責任者).
    Manager,
    /// Runs the platform.
    Admin,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Learner => "learner",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// Parses the stored name.
    pub fn parse(value: &str) -> Option<Self> {
        [Role::Learner, Role::Manager, Role::Admin]
            .into_iter()
            .find(|r| r.as_str() == value)
    }
}

/// A hospital or other medical facility.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
pub struct Organization {
    /// Identifier.
    pub id: Uuid,
    /// Facility name.
    pub name: String,
    /// Facility type (hospital, clinic, …).
    pub kind: String,
    /// Licensed beds (許可病床数), which decide the annual training rule.
    pub licensed_beds: Option<i64>,
    /// Prefecture.
    pub prefecture: String,
    /// Insurance medical institution code (保険医療機関コード).
    pub insurance_code: Option<String>,
    /// The code staff use to sign up.
    pub join_code: String,
}

/// The fields of a new organization.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    /// Facility name.
    pub name: String,
    /// Facility type.
    pub kind: String,
    /// Licensed beds.
    pub licensed_beds: Option<i64>,
    /// Prefecture.
    pub prefecture: String,
    /// Insurance medical institution code.
    pub insurance_code: Option<String>,
    /// The code staff use to sign up.
    pub join_code: String,
}

/// A person with an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Identifier.
    pub id: Uuid,
    /// The organization they belong to (none for platform administrators).
    pub organization_id: Option<Uuid>,
    /// Sign-in address, lower-case.
    pub email: String,
    /// Name as shown on certificates (kanji).
    pub display_name: String,
    /// Reading of the name (kana).
    pub kana: Option<String>,
    /// What they may do.
    pub role: Role,
    /// Deactivated people cannot sign in.
    pub active: bool,
    /// Whether a password is set.
    #[serde(skip)]
    pub has_password: bool,
}

#[derive(FromRow)]
struct UserRow {
    id: Uuid,
    organization_id: Option<Uuid>,
    email: String,
    display_name: String,
    kana: Option<String>,
    role: String,
    active: bool,
    password_hash: Option<String>,
}

impl UserRow {
    fn into_user(self) -> (User, Option<String>) {
        let user = User {
            id: self.id,
            organization_id: self.organization_id,
            email: self.email,
            display_name: self.display_name,
            kana: self.kana,
            // The CHECK constraint admits only known roles; an unknown one gets the least privilege.
            role: Role::parse(&self.role).unwrap_or(Role::Learner),
            active: self.active,
            has_password: self.password_hash.is_some(),
        };
        (user, self.password_hash)
    }
}

/// The columns of [`UserRow`], as a literal for `concat!` (sqlx takes only static query strings).
macro_rules! user_columns {
    () => {
        "id, organization_id, email, display_name, kana, role, active, password_hash"
    };
    (u) => {
        "u.id, u.organization_id, u.email, u.display_name, u.kana, u.role, u.active, u.password_hash"
    };
}

/// What a one-time link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Signs an existing person in once (the first administrator's link).
    SignIn,
    /// Lets a new person create their account in an organization.
    Invitation,
    /// Lets a person set a new password.
    PasswordReset,
}

impl LinkPurpose {
    fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::SignIn => "sign_in",
            LinkPurpose::Invitation => "invitation",
            LinkPurpose::PasswordReset => "password_reset",
        }
    }
}

/// A one-time link as stored.
#[derive(Debug, Clone, FromRow)]
pub struct LoginLink {
    /// For an existing person (sign-in, reset).
    pub user_id: Option<Uuid>,
    /// For an invitation.
    pub organization_id: Option<Uuid>,
    /// Role granted by an invitation.
    pub role: Option<String>,
    /// Address an invitation was sent to.
    pub email: Option<String>,
}

impl Store {
    /// Creates an organization.
    pub async fn create_organization(
        &self,
        org: &NewOrganization,
    ) -> Result<Organization, StoreError> {
        let id = Uuid::new_v4();
        execute!(self, sqlx::query(
            "INSERT INTO organizations (id, name, kind, licensed_beds, prefecture, insurance_code, join_code, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id).bind(&org.name).bind(&org.kind).bind(org.licensed_beds).bind(&org.prefecture)
            .bind(&org.insurance_code).bind(&org.join_code).bind(now()))?;
        Ok(Organization {
            id,
            name: org.name.clone(),
            kind: org.kind.clone(),
            licensed_beds: org.licensed_beds,
            prefecture: org.prefecture.clone(),
            insurance_code: org.insurance_code.clone(),
            join_code: org.join_code.clone(),
        })
    }

    /// An organization by id.
    pub async fn organization(&self, id: Uuid) -> Result<Option<Organization>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, name, kind, licensed_beds, prefecture, insurance_code, join_code FROM organizations WHERE id = $1")
            .bind(id).fetch_optional(pool).await?))
    }

    /// Every organization, by name.
    pub async fn organizations(&self) -> Result<Vec<Organization>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, name, kind, licensed_beds, prefecture, insurance_code, join_code FROM organizations ORDER BY name")
            .fetch_all(pool).await?))
    }

    /// An organization by its join code.
    pub async fn organization_by_join_code(
        &self,
        code: &str,
    ) -> Result<Option<Organization>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, name, kind, licensed_beds, prefecture, insurance_code, join_code FROM organizations WHERE join_code = $1")
            .bind(code).fetch_optional(pool).await?))
    }

    /// Creates a person; the address is stored lower-case and must be unique.
    pub async fn create_user(
        &self,
        organization_id: Option<Uuid>,
        email: &str,
        display_name: &str,
        kana: Option<&str>,
        role: Role,
        password_hash: Option<&str>,
    ) -> Result<User, StoreError> {
        let id = Uuid::new_v4();
        let email = email.trim().to_lowercase();
        execute!(self, sqlx::query(
            "INSERT INTO users (id, organization_id, email, display_name, kana, role, password_hash, active, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(id).bind(organization_id).bind(&email).bind(display_name).bind(kana).bind(role.as_str())
            .bind(password_hash).bind(true).bind(now()))?;
        Ok(User {
            id,
            organization_id,
            email,
            display_name: display_name.to_owned(),
            kana: kana.map(str::to_owned),
            role,
            active: true,
            has_password: password_hash.is_some(),
        })
    }

    /// How many people have accounts.
    pub async fn user_count(&self) -> Result<i64, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await?),
        )
    }

    /// A person by id.
    pub async fn user(&self, id: Uuid) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = on_pool!(self, pool => sqlx::query_as(concat!("SELECT ", user_columns!(), " FROM users WHERE id = $1"))
            .bind(id).fetch_optional(pool).await?);
        Ok(row.map(|r| r.into_user().0))
    }

    /// A person and their password hash, by address.
    pub async fn user_with_password(
        &self,
        email: &str,
    ) -> Result<Option<(User, Option<String>)>, StoreError> {
        let email = email.trim().to_lowercase();
        let row: Option<UserRow> = on_pool!(self, pool => sqlx::query_as(concat!("SELECT ", user_columns!(), " FROM users WHERE email = $1"))
            .bind(&email).fetch_optional(pool).await?);
        Ok(row.map(UserRow::into_user))
    }

    /// The people of an organization, by name.
    pub async fn organization_users(&self, organization_id: Uuid) -> Result<Vec<User>, StoreError> {
        let rows: Vec<UserRow> = on_pool!(self, pool => sqlx::query_as(concat!(
            "SELECT ", user_columns!(), " FROM users WHERE organization_id = $1 ORDER BY display_name, email"))
            .bind(organization_id).fetch_all(pool).await?);
        Ok(rows.into_iter().map(|r| r.into_user().0).collect())
    }

    /// Sets a person's password hash.
    pub async fn set_password_hash(&self, user_id: Uuid, hash: &str) -> Result<(), StoreError> {
        execute!(
            self,
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(hash)
                .bind(user_id)
        )?;
        Ok(())
    }

    /// Activates or deactivates a person; deactivation also ends their sessions.
    pub async fn set_user_active(&self, user_id: Uuid, active: bool) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE users SET active = $1 WHERE id = $2").bind(active).bind(user_id).execute(&mut *tx).await?;
            if !active {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// Records a session by the hash of its cookie token.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: Uuid,
        lifetime: Duration,
    ) -> Result<(), StoreError> {
        let now = now();
        execute!(self, sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash).bind(user_id).bind(now).bind(now + lifetime))?;
        Ok(())
    }

    /// The active person behind an unexpired session.
    pub async fn session_user(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = on_pool!(self, pool => sqlx::query_as(concat!(
            "SELECT ", user_columns!(u), " FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = $3"))
            .bind(token_hash).bind(now()).bind(true).fetch_optional(pool).await?);
        Ok(row.map(|r| r.into_user().0))
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        execute!(
            self,
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash)
        )?;
        Ok(())
    }

    /// Stores a one-time link by the hash of its token.
    pub async fn create_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        link: &LoginLink,
        lifetime: Duration,
    ) -> Result<(), StoreError> {
        let now = now();
        execute!(self, sqlx::query(
            "INSERT INTO login_links (token_hash, purpose, user_id, organization_id, role, email, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(token_hash).bind(purpose.as_str()).bind(link.user_id).bind(link.organization_id)
            .bind(&link.role).bind(&link.email).bind(now).bind(now + lifetime))?;
        Ok(())
    }

    /// Looks up an unused, unexpired link without using it.
    pub async fn peek_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
    ) -> Result<Option<LoginLink>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT user_id, organization_id, role, email FROM login_links
             WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3")
            .bind(token_hash).bind(purpose.as_str()).bind(now()).fetch_optional(pool).await?))
    }

    /// Uses a link: returns it only to the first caller, however many race for it.
    pub async fn use_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
    ) -> Result<Option<LoginLink>, StoreError> {
        let now = now();
        Ok(on_pool!(self, pool => sqlx::query_as(
            "UPDATE login_links SET used_at = $1
             WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
             RETURNING user_id, organization_id, role, email")
            .bind(now).bind(token_hash).bind(purpose.as_str()).fetch_optional(pool).await?))
    }

    /// Records an event that rate limits count — a failed sign-in, a post of an open form — under
    /// each key (the table is `login_failures`, named for its first use).
    pub async fn record_limited_event(&self, keys: &[String]) -> Result<(), StoreError> {
        let now = now();
        on_pool!(self, pool => {
            for key in keys {
                sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)").bind(key).bind(now).execute(pool).await?;
            }
            Ok::<(), sqlx::Error>(())
        })?;
        Ok(())
    }

    /// Events counted under a key within the last `window`.
    pub async fn recent_limited_events(
        &self,
        key: &str,
        window: Duration,
    ) -> Result<i64, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at > $2")
            .bind(key).bind(now() - window).fetch_one(pool).await?),
        )
    }

    /// Creates an API token for a person; only its hash is kept.
    pub async fn create_api_token(
        &self,
        user_id: Uuid,
        name: &str,
        token_hash: &str,
    ) -> Result<Uuid, StoreError> {
        let id = Uuid::new_v4();
        execute!(self, sqlx::query("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id).bind(user_id).bind(name).bind(token_hash).bind(now()))?;
        Ok(id)
    }

    /// The active person behind an unrevoked API token.
    pub async fn api_token_user(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = on_pool!(self, pool => sqlx::query_as(concat!(
            "SELECT ", user_columns!(u), " FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = $2"))
            .bind(token_hash).bind(true).fetch_optional(pool).await?);
        Ok(row.map(|r| r.into_user().0))
    }

    /// A person's API tokens: id, name, created, revoked.
    pub async fn api_tokens(
        &self,
        user_id: Uuid,
    ) -> Result<Vec<(Uuid, String, OffsetDateTime, Option<OffsetDateTime>)>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_as("SELECT id, name, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at")
            .bind(user_id).fetch_all(pool).await?),
        )
    }

    /// Revokes an API token; returns whether one was revoked.
    pub async fn revoke_api_token(&self, id: Uuid) -> Result<bool, StoreError> {
        let done = on_pool!(self, pool => sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now()).bind(id).execute(pool).await?.rows_affected());
        Ok(done > 0)
    }

    /// Queues a message that a mail server would send; managers read their organization's outbox.
    pub async fn queue_message(
        &self,
        organization_id: Option<Uuid>,
        recipient: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), StoreError> {
        execute!(self, sqlx::query("INSERT INTO outbox (organization_id, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(organization_id).bind(recipient).bind(subject).bind(body).bind(now()))?;
        Ok(())
    }

    /// An organization's queued messages, newest first: recipient, subject, body, time.
    pub async fn outbox(
        &self,
        organization_id: Uuid,
    ) -> Result<Vec<(String, String, String, OffsetDateTime)>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT recipient, subject, body, created_at FROM outbox WHERE organization_id = $1 ORDER BY id DESC LIMIT 100")
            .bind(organization_id).fetch_all(pool).await?))
    }

    /// A setting's value.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(key).fetch_optional(pool).await?),
        )
    }

    /// Sets a setting unless it exists; returns the value now stored (another server may have won).
    pub async fn setting_or_insert(&self, key: &str, value: &str) -> Result<String, StoreError> {
        execute!(
            self,
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING"
            )
            .bind(key)
            .bind(value)
        )?;
        Ok(self.setting(key).await?.unwrap_or_else(|| value.to_owned()))
    }
}
