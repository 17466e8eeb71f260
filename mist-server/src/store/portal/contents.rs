//! コンテンツ集: training materials, each a stored file or an external video address.

use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{any, tag_pattern};
use crate::store::{Store, StoreError, execute, now, on_pool};

/// The describing fields of a material (what an administrator edits).
#[derive(Debug, Clone, Default)]
pub struct ContentFields {
    /// `mist_core::portal::vocabulary::ContentKind` identifier.
    pub kind: String,
    /// Audience tags as `,a,b,`.
    pub audiences: String,
    /// Title in Japanese.
    pub title_ja: String,
    /// Title in English.
    pub title_en: String,
    /// Description in Japanese.
    pub description_ja: String,
    /// Description in English.
    pub description_en: String,
    /// Licence note in Japanese (e.g. 院内研修での利用可・改変不可).
    pub licence_ja: String,
    /// Licence note in English.
    pub licence_en: String,
    /// The folded search text of the titles and descriptions.
    pub search_text: String,
}

/// Where a material's content is.
#[derive(Debug, Clone)]
pub enum ContentSource {
    /// A checked file under the contents directory.
    File {
        /// The generated name on disk.
        stored_name: String,
        /// The media type found from the content.
        media_type: String,
        /// Size in bytes.
        byte_size: i64,
        /// SHA-256 of the content, hex.
        sha256: String,
    },
    /// A video hosted elsewhere (https).
    External(String),
}

/// A material as stored.
#[derive(Debug, Clone, FromRow)]
pub struct ContentItem {
    /// Identifier.
    pub id: Uuid,
    /// Kind identifier.
    pub kind: String,
    /// Audience tags as `,a,b,`.
    pub audiences: String,
    /// Title in Japanese.
    pub title_ja: String,
    /// Title in English.
    pub title_en: String,
    /// Description in Japanese.
    pub description_ja: String,
    /// Description in English.
    pub description_en: String,
    /// Licence note in Japanese.
    pub licence_ja: String,
    /// Licence note in English.
    pub licence_en: String,
    /// The generated file name, for a stored file.
    pub stored_name: Option<String>,
    /// Media type of a stored file.
    pub media_type: Option<String>,
    /// Size of a stored file.
    pub byte_size: Option<i64>,
    /// SHA-256 of a stored file.
    pub sha256: Option<String>,
    /// Address of an external video.
    pub external_url: Option<String>,
    /// When it was added.
    pub created_at: OffsetDateTime,
}

/// What to look for; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct ContentQuery<'a> {
    /// A `LIKE` pattern for the search text.
    pub like: Option<&'a str>,
    /// An audience tag.
    pub audience: Option<&'a str>,
    /// A kind.
    pub kind: Option<&'a str>,
}

macro_rules! content_columns {
    () => {
        "id, kind, audiences, title_ja, title_en, description_ja, description_en, licence_ja, licence_en,
         stored_name, media_type, byte_size, sha256, external_url, created_at"
    };
}

macro_rules! content_filter {
    () => {
        " WHERE (CAST($1 AS TEXT) = '' OR search_text LIKE $1 ESCAPE '\\')
            AND (CAST($2 AS TEXT) = '' OR audiences LIKE $2)
            AND (CAST($3 AS TEXT) = '' OR kind = $3)"
    };
}

impl Store {
    /// Adds a material.
    pub async fn create_content(
        &self,
        fields: &ContentFields,
        source: &ContentSource,
    ) -> Result<Uuid, StoreError> {
        let id = Uuid::new_v4();
        let (stored_name, media_type, byte_size, sha256, external_url) = match source {
            ContentSource::File {
                stored_name,
                media_type,
                byte_size,
                sha256,
            } => (
                Some(stored_name.as_str()),
                Some(media_type.as_str()),
                Some(*byte_size),
                Some(sha256.as_str()),
                None,
            ),
            ContentSource::External(url) => (None, None, None, None, Some(url.as_str())),
        };
        let now = now();
        execute!(self, sqlx::query(
            "INSERT INTO content_items (id, kind, audiences, title_ja, title_en, description_ja, description_en,
                licence_ja, licence_en, search_text, stored_name, media_type, byte_size, sha256, external_url,
                created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)")
            .bind(id).bind(&fields.kind).bind(&fields.audiences).bind(&fields.title_ja).bind(&fields.title_en)
            .bind(&fields.description_ja).bind(&fields.description_en).bind(&fields.licence_ja)
            .bind(&fields.licence_en).bind(&fields.search_text).bind(stored_name).bind(media_type)
            .bind(byte_size).bind(sha256).bind(external_url).bind(now))?;
        Ok(id)
    }

    /// Changes a material's describing fields; returns whether it exists.
    pub async fn update_content(
        &self,
        id: Uuid,
        fields: &ContentFields,
    ) -> Result<bool, StoreError> {
        let changed = execute!(self, sqlx::query(
            "UPDATE content_items SET kind = $1, audiences = $2, title_ja = $3, title_en = $4, description_ja = $5,
                description_en = $6, licence_ja = $7, licence_en = $8, search_text = $9, updated_at = $10
             WHERE id = $11")
            .bind(&fields.kind).bind(&fields.audiences).bind(&fields.title_ja).bind(&fields.title_en)
            .bind(&fields.description_ja).bind(&fields.description_en).bind(&fields.licence_ja)
            .bind(&fields.licence_en).bind(&fields.search_text).bind(now()).bind(id))?;
        Ok(changed > 0)
    }

    /// Removes a material; returns it (its file is the caller's to delete), or `None`.
    pub async fn delete_content(&self, id: Uuid) -> Result<Option<ContentItem>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(concat!(
            "DELETE FROM content_items WHERE id = $1 RETURNING ", content_columns!()))
            .bind(id).fetch_optional(pool).await?))
    }

    /// A material by id.
    pub async fn content(&self, id: Uuid) -> Result<Option<ContentItem>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(concat!(
            "SELECT ", content_columns!(), " FROM content_items WHERE id = $1"))
            .bind(id).fetch_optional(pool).await?))
    }

    /// One page of the materials that match, newest first, and how many match in all.
    pub async fn search_contents(
        &self,
        query: &ContentQuery<'_>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<ContentItem>, i64), StoreError> {
        let like = any(query.like);
        let audience = tag_pattern(query.audience);
        let kind = any(query.kind);
        let (items, total) = on_pool!(self, pool => {
            let items: Vec<ContentItem> = sqlx::query_as(concat!(
                "SELECT ", content_columns!(), " FROM content_items", content_filter!(),
                " ORDER BY created_at DESC, id LIMIT $4 OFFSET $5"))
                .bind(like).bind(&audience).bind(kind).bind(limit).bind(offset).fetch_all(pool).await?;
            let total: i64 = sqlx::query_scalar(concat!("SELECT COUNT(*) FROM content_items", content_filter!()))
                .bind(like).bind(&audience).bind(kind).fetch_one(pool).await?;
            (items, total)
        });
        Ok((items, total))
    }
}
