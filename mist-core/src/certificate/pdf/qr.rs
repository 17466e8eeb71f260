//! The QR code to the verification page, as a grid of modules drawn as vector rectangles.

use qrcode::{Color, EcLevel, QrCode, types::QrError};

/// A QR code's modules, row by row.
pub(super) struct QrModules {
    /// Modules per side.
    pub(super) width: usize,
    dark: Vec<bool>,
}

/// Encodes a URL with error correction level M (15 %): enough for a printed, handled page.
pub(super) fn modules(url: &str) -> Result<QrModules, QrError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)?;
    Ok(QrModules {
        width: code.width(),
        dark: code
            .to_colors()
            .into_iter()
            .map(|color| color == Color::Dark)
            .collect(),
    })
}

impl QrModules {
    /// The horizontal runs of dark modules as `(row, first column, length)`: one rectangle per run
    /// instead of per module keeps the page small.
    pub(super) fn dark_runs(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        self.dark
            .chunks(self.width.max(1))
            .enumerate()
            .flat_map(|(row, cells)| {
                let mut runs = Vec::new();
                let mut start = None;
                for (column, &dark) in cells.iter().chain([&false]).enumerate() {
                    match (dark, start) {
                        (true, None) => start = Some(column),
                        (false, Some(first)) => {
                            runs.push((row, first, column - first));
                            start = None;
                        }
                        _ => {}
                    }
                }
                runs
            })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_exactly_the_dark_modules() {
        let qr = modules("http://127.0.0.1:8080/verify/7K3M-9QX2-HD4T-R").unwrap();
        let mut painted = vec![false; qr.width * qr.width];
        for (row, start, length) in qr.dark_runs() {
            for column in start..start + length {
                assert!(!painted[row * qr.width + column]);
                painted[row * qr.width + column] = true;
            }
        }
        assert_eq!(painted, qr.dark);
        // Finder pattern: the top-left corner's first row is seven dark modules.
        assert_eq!(qr.dark_runs().next(), Some((0, 0, 7)));
    }
}
