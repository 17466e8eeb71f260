//! 講師・技術者リスト: instructors and engineers. No address or email is stored for publication:
//! visitors reach an entry through the contact form.

use sqlx::FromRow;
use uuid::Uuid;

use super::{any, tag_pattern};
use crate::store::{Store, StoreError, execute, now, on_pool};

/// An entry's fields.
#[derive(Debug, Clone, Default, FromRow)]
pub struct ExpertFields {
    /// `instructor` or `engineer`.
    pub kind: String,
    /// Name as listed.
    pub name: String,
    /// Expertise tags as `,a,b,`.
    pub expertise: String,
    /// Prefecture code (01–47).
    pub prefecture: String,
    /// The prefecture's region identifier.
    pub region: String,
    /// Language tags as `,ja,en,`.
    pub languages: String,
    /// When they are available, in Japanese.
    pub availability_ja: String,
    /// When they are available, in English.
    pub availability_en: String,
    /// Profile in Japanese.
    pub bio_ja: String,
    /// Profile in English.
    pub bio_en: String,
    /// The folded search text (name, profile).
    pub search_text: String,
}

/// An entry as stored.
#[derive(Debug, Clone, FromRow)]
pub struct Expert {
    /// Identifier.
    pub id: Uuid,
    /// The fields.
    #[sqlx(flatten)]
    pub fields: ExpertFields,
}

/// What to look for; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct ExpertQuery<'a> {
    /// A `LIKE` pattern for the search text.
    pub like: Option<&'a str>,
    /// An expertise tag.
    pub expertise: Option<&'a str>,
    /// A region identifier.
    pub region: Option<&'a str>,
    /// A prefecture code.
    pub prefecture: Option<&'a str>,
    /// A language tag.
    pub language: Option<&'a str>,
}

macro_rules! expert_columns {
    () => {
        "id, kind, name, expertise, prefecture, region, languages, availability_ja, availability_en,
         bio_ja, bio_en, search_text"
    };
}

macro_rules! expert_filter {
    () => {
        " WHERE (CAST($1 AS TEXT) = '' OR search_text LIKE $1 ESCAPE '\\')
            AND (CAST($2 AS TEXT) = '' OR expertise LIKE $2)
            AND (CAST($3 AS TEXT) = '' OR region = $3)
            AND (CAST($4 AS TEXT) = '' OR prefecture = $4)
            AND (CAST($5 AS TEXT) = '' OR languages LIKE $5)"
    };
}

impl Store {
    /// Adds an entry.
    pub async fn create_expert(&self, fields: &ExpertFields) -> Result<Uuid, StoreError> {
        let id = Uuid::new_v4();
        execute!(self, sqlx::query(
            "INSERT INTO experts (id, kind, name, expertise, prefecture, region, languages, availability_ja,
                availability_en, bio_ja, bio_en, search_text, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
            .bind(id).bind(&fields.kind).bind(&fields.name).bind(&fields.expertise).bind(&fields.prefecture)
            .bind(&fields.region).bind(&fields.languages).bind(&fields.availability_ja)
            .bind(&fields.availability_en).bind(&fields.bio_ja).bind(&fields.bio_en)
            .bind(&fields.search_text).bind(now()))?;
        Ok(id)
    }

    /// Changes an entry; returns whether it exists.
    pub async fn update_expert(&self, id: Uuid, fields: &ExpertFields) -> Result<bool, StoreError> {
        let changed = execute!(self, sqlx::query(
            "UPDATE experts SET kind = $1, name = $2, expertise = $3, prefecture = $4, region = $5, languages = $6,
                availability_ja = $7, availability_en = $8, bio_ja = $9, bio_en = $10, search_text = $11
             WHERE id = $12")
            .bind(&fields.kind).bind(&fields.name).bind(&fields.expertise).bind(&fields.prefecture)
            .bind(&fields.region).bind(&fields.languages).bind(&fields.availability_ja)
            .bind(&fields.availability_en).bind(&fields.bio_ja).bind(&fields.bio_en)
            .bind(&fields.search_text).bind(id))?;
        Ok(changed > 0)
    }

    /// Removes an entry (messages already sent to it stay in the inbox); returns whether it existed.
    pub async fn delete_expert(&self, id: Uuid) -> Result<bool, StoreError> {
        let deleted = execute!(
            self,
            sqlx::query("DELETE FROM experts WHERE id = $1").bind(id)
        )?;
        Ok(deleted > 0)
    }

    /// An entry by id.
    pub async fn expert(&self, id: Uuid) -> Result<Option<Expert>, StoreError> {
        Ok(
            on_pool!(self, pool => sqlx::query_as(concat!("SELECT ", expert_columns!(), " FROM experts WHERE id = $1"))
            .bind(id).fetch_optional(pool).await?),
        )
    }

    /// One page of the entries that match, by name, and how many match in all.
    pub async fn search_experts(
        &self,
        query: &ExpertQuery<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Expert>, i64), StoreError> {
        let like = any(query.like);
        let expertise = tag_pattern(query.expertise);
        let region = any(query.region);
        let prefecture = any(query.prefecture);
        let language = tag_pattern(query.language);
        let (experts, total) = on_pool!(self, pool => {
            let experts: Vec<Expert> = sqlx::query_as(concat!(
                "SELECT ", expert_columns!(), " FROM experts", expert_filter!(), " ORDER BY name, id LIMIT $6 OFFSET $7"))
                .bind(like).bind(&expertise).bind(region).bind(prefecture).bind(&language)
                .bind(limit).bind(offset).fetch_all(pool).await?;
            let total: i64 = sqlx::query_scalar(concat!("SELECT COUNT(*) FROM experts", expert_filter!()))
                .bind(like).bind(&expertise).bind(region).bind(prefecture).bind(&language)
                .fetch_one(pool).await?;
            (experts, total)
        });
        Ok((experts, total))
    }
}
