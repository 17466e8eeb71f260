//! `mist scorm check` and `mist scorm export`: packages from authoring tools, and our courses as
//! SCORM 1.2 or 2004 packages.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use mist_core::authoring::{self, LoadOutcome};
use mist_core::{Course, Module, Series, builtin};
use mist_scorm::export::{ExportVersion, Exporter, MediaSource};

use super::{EXIT_INVALID, EXIT_USAGE_OR_IO};

/// SCORM packages for an LMS.
#[derive(Debug, Subcommand)]
pub enum ScormCommand {
    /// Check a package (zip or folder): exit 0 when importable (warnings allowed), 1 when rejected,
    /// 2 on usage or I/O errors.
    Check(CheckArgs),
    /// Export courses as SCORM packages (one SCO per module, or one module as a single SCO).
    Export(ExportArgs),
}

/// `mist scorm export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The course to export.
    #[arg(long, conflicts_with = "all", required_unless_present = "all")]
    course: Option<String>,
    /// Export every course, one package each, into the directory given with -o.
    #[arg(long)]
    all: bool,
    /// SCORM version: 1.2, 2004 (4th edition), or 2004-3rd.
    #[arg(long = "scorm", value_name = "VERSION")]
    version: ExportVersion,
    /// Export only this module of the course, as a single-SCO package.
    #[arg(long, value_name = "MODULE", conflicts_with = "all")]
    single_sco: Option<String>,
    /// The series (or stand-alone course) directory; the built-in MIST series when omitted.
    #[arg(long, value_name = "DIR")]
    series: Option<PathBuf>,
    /// The zip to write (with --course) or the directory to write into (with --all).
    #[arg(short, long, value_name = "PATH")]
    output: PathBuf,
}

/// `mist scorm check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The package: a .zip file or a folder with imsmanifest.xml at its root.
    path: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Make schema and reference violations errors (the standard), instead of accepting what real
    /// LMSs accept with warnings.
    #[arg(long)]
    strict: bool,
}

/// Runs a `mist scorm` command.
pub fn run(command: ScormCommand) -> anyhow::Result<ExitCode> {
    match command {
        ScormCommand::Check(args) => super::scorm_check::check(&args.path, args.json, args.strict),
        ScormCommand::Export(args) => export(&args),
    }
}

fn export(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let outcome = match &args.series {
        Some(dir) => authoring::load(&authoring::read_dir(dir)?),
        None => builtin::load_series(),
    };
    let Some(series) = valid(outcome) else {
        eprintln!("the series is invalid; run `mist course check` for details");
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let media = DirMedia {
        root: args.series.clone(),
        standalone: args
            .series
            .as_ref()
            .is_some_and(|dir| !dir.join("series.toml").is_file()),
    };
    let exporter = Exporter::new(args.version, &series.languages).with_media(&media);
    let Some(slug) = &args.course else {
        fs::create_dir_all(&args.output).with_context(|| format!("{}", args.output.display()))?;
        for course in &series.courses {
            let path = args
                .output
                .join(format!("{}-scorm{}.zip", course.slug, args.version));
            write(&path, &exporter.course(course)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    };
    let Some(course) = series.course(slug) else {
        let known: Vec<&str> = series.courses.iter().map(|c| c.slug.as_str()).collect();
        eprintln!("no course `{slug}`; the courses are: {}", known.join(", "));
        return Ok(ExitCode::from(EXIT_USAGE_OR_IO));
    };
    let package = match &args.single_sco {
        Some(module) => exporter.single_module(course, module)?,
        None => exporter.course(course)?,
    };
    write(&args.output, &package)?;
    Ok(ExitCode::SUCCESS)
}

fn valid(outcome: LoadOutcome) -> Option<Series> {
    if outcome.series.is_none() {
        for diagnostic in &outcome.diagnostics {
            eprintln!("{diagnostic}");
        }
    }
    outcome.series
}

fn write(path: &Path, package: &mist_scorm::export::Package) -> anyhow::Result<()> {
    let file = fs::File::create(path).with_context(|| format!("{}", path.display()))?;
    package
        .write_zip(io::BufWriter::new(file))
        .with_context(|| format!("{}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// Module-local media read from the series directory (`COURSE/MODULE/PATH`, or `MODULE/PATH` for a
/// stand-alone course).
struct DirMedia {
    root: Option<PathBuf>,
    standalone: bool,
}

impl MediaSource for DirMedia {
    fn read(&self, course: &Course, module: &Module, path: &str) -> io::Result<Vec<u8>> {
        let Some(root) = &self.root else {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                "the built-in series ships no media files",
            ));
        };
        let base = if self.standalone {
            root.clone()
        } else {
            root.join(course.slug.as_str())
        };
        fs::read(base.join(module.slug.as_str()).join(path))
    }
}
