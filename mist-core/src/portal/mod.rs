//! The public portal's rules (コンテンツ集, 講師・技術者リスト, 関連リンク, お問い合わせ): the fixed
//! vocabularies, the 47 prefectures, content-type agreement, search normalisation, and the inquiry
//! rules (validation, fill time, status flow). No I/O: the server reads files and talks to the database.

pub mod filetype;
pub mod inquiry;
pub mod prefecture;
pub mod search;
pub mod vocabulary;

#[cfg(test)]
mod tests;
