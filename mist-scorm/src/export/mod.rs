//! Export of mist-core courses as SCORM 1.2 and SCORM 2004 (3rd or 4th edition) packages.
//!
//! A package holds one SCO per module (or a single module as a one-SCO package). Every SCO is the same
//! offline player (`sco/src/` in this crate: HTML, CSS and JavaScript, no CDN) plus the module's data in
//! `{module}/data.js`: lesson HTML rendered here from Markdown, and the quiz with its answer keys (the
//! SCO scores offline, so the keys are necessarily inside the package).
//!
//! ```
//! use mist_scorm::export::{ExportVersion, Exporter};
//!
//! let series = mist_core::builtin::load_series().series.expect("the built-in series is valid");
//! let exporter = Exporter::new(ExportVersion::Scorm2004Fourth, &series.languages);
//! let package = exporter.course(&series.courses[0]).expect("exports");
//! assert!(package.manifest().contains("<schemaversion>2004 4th Edition</schemaversion>"));
//! let zip = package.to_zip().expect("zips");
//! assert_eq!(zip, package.to_zip().expect("zips"), "exports are byte-identical");
//! ```
//!
//! Architecture invariant: the exporter never opens a path. Files that lessons reference inside a module
//! directory (local videos, captions, downloads) come from a [`MediaSource`] given by the caller.

mod assets;
mod content;
mod lom;
mod manifest;
mod package;
mod xml;

use std::fmt;
use std::io;
use std::str::FromStr;

use mist_core::{Course, LanguageTag, Localized, Module};

pub use package::{Package, PackageFile};

/// The SCORM flavour of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportVersion {
    /// SCORM 1.2.
    Scorm12,
    /// SCORM 2004 3rd Edition, for LMSs that predate the 4th.
    Scorm2004Third,
    /// SCORM 2004 4th Edition (the default 2004 flavour).
    Scorm2004Fourth,
}

impl ExportVersion {
    /// Every flavour.
    pub const ALL: [ExportVersion; 3] = [
        ExportVersion::Scorm12,
        ExportVersion::Scorm2004Third,
        ExportVersion::Scorm2004Fourth,
    ];

    /// The manifest's `schemaversion`, exactly as Moodle and the ADL checks expect it.
    pub fn schema_version(self) -> &'static str {
        match self {
            ExportVersion::Scorm12 => "1.2",
            ExportVersion::Scorm2004Third => "2004 3rd Edition",
            ExportVersion::Scorm2004Fourth => "2004 4th Edition",
        }
    }

    /// True for both 2004 editions.
    pub fn is_2004(self) -> bool {
        self != ExportVersion::Scorm12
    }

    /// The short name used on the command line and in file names: `1.2`, `2004-3rd`, `2004`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportVersion::Scorm12 => "1.2",
            ExportVersion::Scorm2004Third => "2004-3rd",
            ExportVersion::Scorm2004Fourth => "2004",
        }
    }
}

impl fmt::Display for ExportVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not a SCORM version the exporter writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a SCORM version to export (use 1.2, 2004, 2004-4th or 2004-3rd)")]
pub struct UnknownVersion(pub String);

impl FromStr for ExportVersion {
    type Err = UnknownVersion;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "1.2" => Ok(ExportVersion::Scorm12),
            "2004" | "2004-4th" => Ok(ExportVersion::Scorm2004Fourth),
            "2004-3rd" => Ok(ExportVersion::Scorm2004Third),
            other => Err(UnknownVersion(other.to_owned())),
        }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// `--single-sco` named a module the course does not have.
    #[error("course `{course}` has no module `{module}`")]
    UnknownModule {
        /// The course's slug.
        course: String,
        /// The module asked for.
        module: String,
    },
    /// A package needs at least one SCO.
    #[error("course `{0}` has no modules to export")]
    EmptyCourse(String),
    /// A file a lesson references could not be read from the [`MediaSource`].
    #[error("module `{module}`: cannot read `{path}`: {source}")]
    Media {
        /// The module's slug.
        module: String,
        /// The path inside the module directory.
        path: String,
        /// Why.
        source: io::Error,
    },
    /// The module data could not be encoded.
    #[error("cannot encode the module data: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing the zip failed.
    #[error("cannot write the zip: {0}")]
    Zip(#[from] zip::result::ZipError),
}

/// Where the files that lessons reference inside a module directory come from.
pub trait MediaSource {
    /// The bytes of `path` (relative, `/`-separated) inside `module`'s directory.
    fn read(&self, course: &Course, module: &Module, path: &str) -> io::Result<Vec<u8>>;
}

/// A [`MediaSource`] with no files: right for courses whose media are all `https` URLs, such as the
/// built-in series.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoMedia;

impl MediaSource for NoMedia {
    fn read(&self, _: &Course, _: &Module, path: &str) -> io::Result<Vec<u8>> {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no media source was given for `{path}`"),
        ))
    }
}

/// Exports courses and modules in one SCORM flavour.
pub struct Exporter<'a> {
    version: ExportVersion,
    languages: Vec<LanguageTag>,
    media: &'a dyn MediaSource,
}

impl Exporter<'static> {
    /// An exporter for `version`; `languages` are the series' declared languages, the first being the
    /// fallback for missing texts and the SCO's default (Japanese then English when empty).
    pub fn new(version: ExportVersion, languages: &[LanguageTag]) -> Self {
        let languages = if languages.is_empty() {
            vec![LanguageTag::ja(), LanguageTag::en()]
        } else {
            languages.to_vec()
        };
        Exporter {
            version,
            languages,
            media: &NoMedia,
        }
    }
}

impl<'a> Exporter<'a> {
    /// Reads module-local files (local videos, captions, downloads) from `media`.
    pub fn with_media<'b>(self, media: &'b dyn MediaSource) -> Exporter<'b> {
        Exporter {
            version: self.version,
            languages: self.languages,
            media,
        }
    }

    /// The first language of the export: the SCO's default and the fallback for missing texts.
    fn first_language(&self) -> &LanguageTag {
        // `new` never leaves the list empty.
        &self.languages[0]
    }

    /// A text in the first language of the export (with the fallback rule).
    fn first_text<'t>(&self, text: &'t Localized) -> &'t str {
        text.resolve(self.first_language(), &self.languages)
    }

    /// A package of the whole course: one SCO per module, in course order.
    pub fn course(&self, course: &Course) -> Result<Package, ExportError> {
        let modules: Vec<&Module> = course.modules.iter().collect();
        if modules.is_empty() {
            return Err(ExportError::EmptyCourse(course.slug.to_string()));
        }
        self.package(course, &modules, false)
    }

    /// A package of one module as a single SCO.
    pub fn single_module(&self, course: &Course, module: &str) -> Result<Package, ExportError> {
        let found = course
            .module(module)
            .ok_or_else(|| ExportError::UnknownModule {
                course: course.slug.to_string(),
                module: module.to_owned(),
            })?;
        self.package(course, &[found], true)
    }

    fn package(
        &self,
        course: &Course,
        modules: &[&Module],
        single: bool,
    ) -> Result<Package, ExportError> {
        let scos = modules
            .iter()
            .map(|module| content::sco(self, course, module))
            .collect::<Result<Vec<_>, _>>()?;
        let manifest = manifest::write(self, course, &scos, single);
        let files = scos
            .into_iter()
            .flat_map(|sco| sco.files)
            .chain(assets::shared_files())
            .collect();
        Ok(Package::new(manifest, files))
    }
}
