//! Checking a package: locate and read the manifest, parse it, run the semantic checks.

use std::io::{Read, Seek};

use super::archive::ZipSource;
use super::diagnostic::{Code, Diagnostic, Mode, Severity, has_errors};
use super::limits::{Limits, cap_exceeded};
use super::manifest::{MANIFEST_NAME, parse_manifest};
use super::report::Report;
use super::semantic;
use super::source::{Listing, PackageSource};

/// Checks a package from any source. Never panics and never fails: problems are findings.
pub fn check(source: &mut impl PackageSource, mode: Mode, limits: &Limits) -> Report {
    let listing = source.list(limits);
    let mut diagnostics = listing.findings.clone();
    if has_errors(&diagnostics) {
        return Report::findings_only(diagnostics, listing.files);
    }
    if !listing.contains(MANIFEST_NAME) {
        diagnostics.push(missing_manifest(&listing));
        return Report::findings_only(diagnostics, listing.files);
    }
    let bytes = match read_manifest(source, limits) {
        Ok(bytes) => bytes,
        Err(finding) => {
            diagnostics.push(finding);
            return Report::findings_only(diagnostics, listing.files);
        }
    };
    let (manifest, mut findings) = parse_manifest(&bytes, mode, limits);
    diagnostics.append(&mut findings);
    match manifest {
        Some(manifest) => {
            diagnostics.extend(semantic::check(&manifest, &listing, mode));
            Report::for_manifest(manifest, diagnostics, listing.files)
        }
        None => Report::findings_only(diagnostics, listing.files),
    }
}

/// Checks a zip package (a file, a buffer: anything `Read + Seek`).
pub fn check_zip<R: Read + Seek>(reader: R, mode: Mode, limits: &Limits) -> Report {
    match ZipSource::new(reader) {
        Ok(mut source) => check(&mut source, mode, limits),
        Err(e) => Report::findings_only(
            vec![
                Diagnostic::new(Severity::Error, Code::ArchiveUnreadable, e.to_string())
                    .with_hint("upload the package as a .zip file"),
            ],
            Default::default(),
        ),
    }
}

fn read_manifest(source: &mut impl PackageSource, limits: &Limits) -> Result<Vec<u8>, Diagnostic> {
    let failed = |message: String, code| {
        Diagnostic::new(Severity::Error, code, message).in_file(MANIFEST_NAME)
    };
    let mut bytes = Vec::new();
    let reader = source.open(MANIFEST_NAME, limits).map_err(|e| {
        failed(
            format!("cannot read the manifest: {e}"),
            Code::ArchiveReadFailed,
        )
    })?;
    // One byte past the limit tells "too large" from "exactly at the limit".
    let read = reader
        .take(limits.max_manifest_size.saturating_add(1))
        .read_to_end(&mut bytes);
    match read {
        Ok(_) => Ok(bytes),
        Err(e) if cap_exceeded(&e).is_some() => Err(failed(
            format!("cannot read the manifest: {e}"),
            Code::ArchiveTooLarge,
        )),
        Err(e) => Err(failed(
            format!("cannot read the manifest: {e}"),
            Code::ArchiveReadFailed,
        )),
    }
}

/// Why there is no manifest at the root: nested in a folder, misnamed, AICC, or just absent.
fn missing_manifest(listing: &Listing) -> Diagnostic {
    let names = || listing.files.keys();
    let file_name = |name: &str| name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    if let Some(misnamed) = names().find(|n| n.eq_ignore_ascii_case(MANIFEST_NAME)) {
        return Diagnostic::new(
            Severity::Error,
            Code::PackageManifestCase,
            format!("the manifest is named {misnamed}, not imsmanifest.xml"),
        )
        .in_file(misnamed.clone())
        .with_hint("rename it to imsmanifest.xml (all lower case)");
    }
    if let Some(nested) = names()
        .filter(|n| file_name(n) == MANIFEST_NAME)
        .min_by_key(|n| n.matches('/').count())
    {
        let folder = nested.rsplit_once('/').map_or("", |(folder, _)| folder);
        return Diagnostic::new(
            Severity::Error,
            Code::PackageManifestNested,
            format!("imsmanifest.xml is in the folder {folder}/, not at the root of the package"),
        )
        .in_file(nested.clone())
        .with_hint(format!(
            "zip the contents of {folder}/, not the folder itself"
        ));
    }
    let aicc = [".cst", ".au", ".crs", ".des"];
    if let Some(descriptor) = names().find(|n| aicc.iter().any(|ext| file_name(n).ends_with(ext))) {
        return Diagnostic::new(
            Severity::Error,
            Code::PackageAicc,
            "this is an AICC package (course structure files, no imsmanifest.xml); only SCORM is supported",
        )
        .in_file(descriptor.clone())
        .with_hint("export the course as SCORM 1.2 or SCORM 2004 from the authoring tool");
    }
    Diagnostic::new(
        Severity::Error,
        Code::PackageManifestMissing,
        "the package has no imsmanifest.xml at its root: it is not a SCORM package",
    )
    .with_hint("export the course as SCORM from the authoring tool and upload the zip it makes")
}
