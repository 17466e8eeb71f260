//! 関連リンク: curated external resources, in categories, in the order administrators set.

use sqlx::FromRow;
use uuid::Uuid;

use crate::store::{Store, StoreError, execute, now, on_pool};

/// A link's fields.
#[derive(Debug, Clone, Default, FromRow)]
pub struct LinkFields {
    /// `mist_core::portal::vocabulary::LinkCategory` identifier.
    pub category: String,
    /// Title in Japanese.
    pub title_ja: String,
    /// Title in English.
    pub title_en: String,
    /// Note in Japanese.
    pub note_ja: String,
    /// Note in English.
    pub note_en: String,
    /// The address (http or https).
    pub url: String,
}

/// A link as stored.
#[derive(Debug, Clone, FromRow)]
pub struct RelatedLink {
    /// Identifier.
    pub id: Uuid,
    /// Place in the list (ascending).
    pub position: i64,
    /// The fields.
    #[sqlx(flatten)]
    pub fields: LinkFields,
}

/// Which way to move a link in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Towards the top.
    Up,
    /// Towards the bottom.
    Down,
}

impl Store {
    /// Adds a link at the end of the list.
    pub async fn create_link_entry(&self, fields: &LinkFields) -> Result<Uuid, StoreError> {
        let id = Uuid::new_v4();
        execute!(self, sqlx::query(
            "INSERT INTO related_links (id, category, title_ja, title_en, note_ja, note_en, url, position, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT COALESCE(MAX(position), 0) + 1 FROM related_links), $8)")
            .bind(id).bind(&fields.category).bind(&fields.title_ja).bind(&fields.title_en)
            .bind(&fields.note_ja).bind(&fields.note_en).bind(&fields.url).bind(now()))?;
        Ok(id)
    }

    /// Changes a link; returns whether it exists.
    pub async fn update_link_entry(
        &self,
        id: Uuid,
        fields: &LinkFields,
    ) -> Result<bool, StoreError> {
        let changed = execute!(self, sqlx::query(
            "UPDATE related_links SET category = $1, title_ja = $2, title_en = $3, note_ja = $4, note_en = $5, url = $6
             WHERE id = $7")
            .bind(&fields.category).bind(&fields.title_ja).bind(&fields.title_en).bind(&fields.note_ja)
            .bind(&fields.note_en).bind(&fields.url).bind(id))?;
        Ok(changed > 0)
    }

    /// Removes a link; returns whether it existed.
    pub async fn delete_link_entry(&self, id: Uuid) -> Result<bool, StoreError> {
        Ok(execute!(
            self,
            sqlx::query("DELETE FROM related_links WHERE id = $1").bind(id)
        )? > 0)
    }

    /// A link by id.
    pub async fn link_entry(&self, id: Uuid) -> Result<Option<RelatedLink>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, position, category, title_ja, title_en, note_ja, note_en, url FROM related_links WHERE id = $1")
            .bind(id).fetch_optional(pool).await?))
    }

    /// Every link in list order.
    pub async fn link_entries(&self) -> Result<Vec<RelatedLink>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(
            "SELECT id, position, category, title_ja, title_en, note_ja, note_en, url FROM related_links
             ORDER BY position, id")
            .fetch_all(pool).await?))
    }

    /// Swaps a link with its neighbour in its category (in one transaction); returns whether it moved.
    pub async fn move_link_entry(&self, id: Uuid, direction: Move) -> Result<bool, StoreError> {
        let Some(link) = self.link_entry(id).await? else {
            return Ok(false);
        };
        // The neighbour is the nearest link of the same category above or below.
        let neighbour_query = match direction {
            Move::Up => {
                "SELECT id, position FROM related_links WHERE category = $1 AND position < $2 ORDER BY position DESC LIMIT 1"
            }
            Move::Down => {
                "SELECT id, position FROM related_links WHERE category = $1 AND position > $2 ORDER BY position LIMIT 1"
            }
        };
        let moved = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let neighbour: Option<(Uuid, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(neighbour_query))
                .bind(&link.fields.category).bind(link.position).fetch_optional(&mut *tx).await?;
            if let Some((other, position)) = neighbour {
                sqlx::query("UPDATE related_links SET position = $1 WHERE id = $2")
                    .bind(position).bind(link.id).execute(&mut *tx).await?;
                sqlx::query("UPDATE related_links SET position = $1 WHERE id = $2")
                    .bind(link.position).bind(other).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(neighbour.is_some())
        })?;
        Ok(moved)
    }
}
