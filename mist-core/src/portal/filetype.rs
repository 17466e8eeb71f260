//! Which file types the contents collection accepts, recognised by their content, and the rule that
//! the name's extension and the declared media type must agree with what the content is.
//!
//! The server reads the file (the first bytes, the `[Content_Types].xml` of a zip, the text); the
//! decisions on those bytes are here.

use std::fmt;

/// An accepted file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    /// PDF document.
    Pdf,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// MP4 video.
    Mp4,
    /// WebM video.
    Webm,
    /// PowerPoint presentation (Office Open XML).
    Pptx,
    /// Word document (Office Open XML).
    Docx,
    /// Excel workbook (Office Open XML).
    Xlsx,
    /// Plain UTF-8 text.
    Text,
    /// Comma-separated values in UTF-8.
    Csv,
}

impl FileType {
    /// Every accepted type.
    pub const ALL: [FileType; 10] = [
        FileType::Pdf,
        FileType::Png,
        FileType::Jpeg,
        FileType::Mp4,
        FileType::Webm,
        FileType::Pptx,
        FileType::Docx,
        FileType::Xlsx,
        FileType::Text,
        FileType::Csv,
    ];

    /// The type whose [`media_type`](Self::media_type) this is.
    pub fn from_media_type(media_type: &str) -> Option<FileType> {
        Self::ALL.into_iter().find(|t| t.media_type() == media_type)
    }

    /// The media type sent with downloads.
    pub fn media_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Mp4 => "video/mp4",
            FileType::Webm => "video/webm",
            FileType::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Text => "text/plain; charset=utf-8",
            FileType::Csv => "text/csv; charset=utf-8",
        }
    }

    /// The usual extension, for the download's file name.
    pub fn extension(self) -> &'static str {
        self.extensions()[0]
    }

    /// Extensions a file of this type may have.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Png => &["png"],
            FileType::Jpeg => &["jpg", "jpeg"],
            FileType::Mp4 => &["mp4", "m4v"],
            FileType::Webm => &["webm"],
            FileType::Pptx => &["pptx"],
            FileType::Docx => &["docx"],
            FileType::Xlsx => &["xlsx"],
            FileType::Text => &["txt", "text"],
            FileType::Csv => &["csv"],
        }
    }

    /// Whether a browser declaring `media_type` (lower case, without parameters) may be sending this
    /// type. Windows browsers send Excel's type for `.csv` files when Excel is installed.
    fn is_declared_as(self, media_type: &str) -> bool {
        let aliases: &[&str] = match self {
            FileType::Jpeg => &["image/pjpeg"],
            FileType::Csv => &[
                "application/csv",
                "text/comma-separated-values",
                "application/vnd.ms-excel",
                "text/plain",
            ],
            _ => &[],
        };
        self.media_type().split(';').next() == Some(media_type) || aliases.contains(&media_type)
    }
}

impl fmt::Display for FileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileType::Pdf => "PDF",
            FileType::Png => "PNG",
            FileType::Jpeg => "JPEG",
            FileType::Mp4 => "MP4",
            FileType::Webm => "WebM",
            FileType::Pptx => "PowerPoint (PPTX)",
            FileType::Docx => "Word (DOCX)",
            FileType::Xlsx => "Excel (XLSX)",
            FileType::Text => "UTF-8 text",
            FileType::Csv => "CSV",
        })
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Magic {
    /// A type recognised from its signature alone.
    Type(FileType),
    /// A zip archive: an Office document if its `[Content_Types].xml` says so (see [`office_type`]).
    Zip,
    /// No binary signature: text if the whole file is (see [`is_plain_text`]).
    Other,
}

/// How many leading bytes [`sniff`] looks at.
pub const SNIFF_BYTES: usize = 64;

/// Recognises a file from its first bytes (up to [`SNIFF_BYTES`]).
pub fn sniff(prefix: &[u8]) -> Magic {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    const EBML: &[u8] = &[0x1a, 0x45, 0xdf, 0xa3];
    if prefix.starts_with(b"%PDF-") {
        Magic::Type(FileType::Pdf)
    } else if prefix.starts_with(PNG) {
        Magic::Type(FileType::Png)
    } else if prefix.starts_with(&[0xff, 0xd8, 0xff]) {
        Magic::Type(FileType::Jpeg)
    } else if prefix.get(4..8) == Some(b"ftyp") {
        Magic::Type(FileType::Mp4)
    } else if prefix.starts_with(EBML) && prefix.windows(4).any(|w| w == b"webm") {
        // Matroska shares the EBML signature; only the `webm` document type is a WebM video.
        Magic::Type(FileType::Webm)
    } else if prefix.starts_with(b"PK\x03\x04") {
        Magic::Zip
    } else {
        Magic::Other
    }
}

/// The Office document type that a zip's `[Content_Types].xml` declares for its main part, if any.
pub fn office_type(content_types_xml: &str) -> Option<FileType> {
    const MAIN_PARTS: [(&str, FileType); 3] = [
        ("presentationml.presentation.main+xml", FileType::Pptx),
        ("wordprocessingml.document.main+xml", FileType::Docx),
        ("spreadsheetml.sheet.main+xml", FileType::Xlsx),
    ];
    MAIN_PARTS
        .iter()
        .find(|(part, _)| content_types_xml.contains(part))
        .map(|(_, file_type)| *file_type)
}

/// Whether a whole file is plain UTF-8 text: valid UTF-8 (a leading BOM allowed) without control
/// characters other than tab, line feed, carriage return and form feed.
pub fn is_plain_text(content: &[u8]) -> bool {
    let content = content.strip_prefix(b"\xef\xbb\xbf").unwrap_or(content);
    std::str::from_utf8(content).is_ok_and(|text| {
        text.chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
    })
}

/// What the content turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// One binary type.
    Type(FileType),
    /// Plain text: `.txt` or `.csv` (the extension decides which).
    Text,
    /// Nothing accepted.
    Unknown,
}

/// Why an upload's type was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TypeError {
    /// The content is none of the accepted types.
    #[error(
        "the content is not an accepted type (PDF, PNG, JPEG, MP4, WebM, PPTX, DOCX, XLSX, UTF-8 text or CSV)"
    )]
    Unsupported,
    /// The file name has no extension, or one of another type.
    #[error("the file name `{file_name}` does not fit its content ({content})")]
    Extension {
        /// The name as sent.
        file_name: String,
        /// What the content is.
        content: String,
    },
    /// The browser declared another media type than the content has.
    #[error("the file was sent as `{declared}`, but its content is {content}")]
    MediaType {
        /// The declared media type.
        declared: String,
        /// What the content is.
        content: String,
    },
}

/// The one type an upload is, when its content, the extension of its name and its declared media
/// type agree. A generic declaration (`application/octet-stream`, or none) defers to the extension.
pub fn check(sniffed: Sniffed, file_name: &str, declared: &str) -> Result<FileType, TypeError> {
    let candidates: &[FileType] = match &sniffed {
        Sniffed::Type(t) => std::slice::from_ref(t),
        Sniffed::Text => &[FileType::Text, FileType::Csv],
        Sniffed::Unknown => return Err(TypeError::Unsupported),
    };
    let content = candidates
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" / ");
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let file_type = candidates
        .iter()
        .copied()
        .find(|t| t.extensions().contains(&extension.as_str()))
        .ok_or_else(|| TypeError::Extension {
            file_name: file_name.to_owned(),
            content: content.clone(),
        })?;
    let declared = declared
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if declared.is_empty()
        || declared == "application/octet-stream"
        || file_type.is_declared_as(&declared)
    {
        Ok(file_type)
    } else {
        Err(TypeError::MediaType { declared, content })
    }
}
