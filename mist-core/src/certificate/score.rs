//! The score on a certificate: a fraction 0–1 kept exactly, to the basis point (0.01 %).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Basis points in a whole score.
const WHOLE: u16 = 10_000;

/// A score from 0 to 1 in steps of 0.0001, written in JSON as a number (`0.92`).
///
/// Why not a bare `f64`: the signature covers the score's exact text, and a float does not always
/// survive a trip through JSON bit for bit; basis points do. Reading JSON therefore accepts only
/// numbers that are a whole number of basis points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Score(u16);

/// The number is not a score.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("a score is a number from 0 to 1 with at most four decimals (such as 0.92), not {0}")]
pub struct InvalidScore(pub f64);

impl Score {
    /// A score from a fraction 0–1, rounded to the nearest basis point.
    pub fn from_fraction(fraction: f64) -> Result<Self, InvalidScore> {
        if !(0.0..=1.0).contains(&fraction) {
            return Err(InvalidScore(fraction));
        }
        // In range after the check: 0 ≤ fraction·10 000 ≤ 10 000.
        Ok(Self((fraction * f64::from(WHOLE)).round() as u16))
    }

    /// A score from basis points (9 200 is 92 %); `None` above 10 000.
    pub fn from_basis_points(points: u16) -> Option<Self> {
        (points <= WHOLE).then_some(Self(points))
    }

    /// The score in basis points.
    pub fn basis_points(self) -> u16 {
        self.0
    }

    /// The score as a fraction 0–1.
    pub fn fraction(self) -> f64 {
        f64::from(self.0) / f64::from(WHOLE)
    }

    /// The score as a percentage without trailing zeros: `92%`, `92.5%`, `92.55%`.
    pub fn percent(self) -> String {
        let (whole, hundredths) = (self.0 / 100, self.0 % 100);
        let decimals = match hundredths {
            0 => String::new(),
            h if h.is_multiple_of(10) => format!(".{}", h / 10),
            h => format!(".{h:02}"),
        };
        format!("{whole}{decimals}%")
    }
}

/// The exact decimal form used in the canonical serialization: `0.92`, `1`, `0`, `0.0005`.
impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, rest) = (self.0 / WHOLE, self.0 % WHOLE);
        if rest == 0 {
            return write!(f, "{whole}");
        }
        let digits = format!("{rest:04}");
        write!(f, "{whole}.{}", digits.trim_end_matches('0'))
    }
}

impl TryFrom<f64> for Score {
    type Error = InvalidScore;
    fn try_from(fraction: f64) -> Result<Self, Self::Error> {
        let score = Self::from_fraction(fraction)?;
        // Accept only what a JSON writer prints for a basis-point value, within parsing error.
        if (score.fraction() - fraction).abs() > 1e-9 {
            return Err(InvalidScore(fraction));
        }
        Ok(score)
    }
}

impl From<Score> for f64 {
    fn from(score: Score) -> Self {
        score.fraction()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn fractions_round_to_basis_points() {
        assert_eq!(Score::from_fraction(0.92).unwrap().basis_points(), 9200);
        assert_eq!(
            Score::from_fraction(13.0 / 15.0).unwrap().basis_points(),
            8667
        );
        assert!(Score::from_fraction(1.01).is_err());
        assert!(Score::from_fraction(-0.1).is_err());
        assert!(Score::from_fraction(f64::NAN).is_err());
        assert_eq!(Score::from_basis_points(10_001), None);
    }

    #[test]
    fn texts() {
        let score = |bp| Score::from_basis_points(bp).unwrap();
        assert_eq!(
            [9200, 9250, 9255, 10_000, 0, 5].map(|bp| score(bp).percent()),
            ["92%", "92.5%", "92.55%", "100%", "0%", "0.05%"]
        );
        assert_eq!(
            [9200, 9255, 10_000, 0, 5].map(|bp| score(bp).to_string()),
            ["0.92", "0.9255", "1", "0", "0.0005"]
        );
    }

    #[test]
    fn json_keeps_the_exact_value_and_rejects_finer_ones() {
        for bp in 0..=10_000 {
            let score = Score::from_basis_points(bp).unwrap();
            let json = serde_json::to_string(&score).unwrap();
            assert_eq!(
                serde_json::from_str::<Score>(&json).unwrap(),
                score,
                "{json}"
            );
        }
        assert!(serde_json::from_str::<Score>("0.92001").is_err());
        assert!(serde_json::from_str::<Score>("1.5").is_err());
    }
}
