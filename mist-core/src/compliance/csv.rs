//! Just enough CSV (RFC 4180) for rosters and reports: quoted fields, doubled quotes, line breaks inside
//! quotes, CRLF or LF; each record keeps the line it starts on so that problems can name it.

/// A record and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The line the record starts on.
    pub line: usize,
    /// Its fields, unquoted.
    pub fields: Vec<String>,
}

/// A quoted field was never closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: a quoted field is not closed")]
pub struct UnclosedQuote {
    /// The line the field starts on.
    pub line: usize,
}

/// Splits text into records; blank lines are skipped.
pub fn read(text: &str) -> Result<Vec<Record>, UnclosedQuote> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let (mut line, mut record_line, mut quote_line) = (1, 1, 1);
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                '\r' => {}
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                in_quotes = true;
                quote_line = line;
            }
            ',' => fields.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                push_record(&mut records, record_line, std::mem::take(&mut fields));
                line += 1;
                record_line = line;
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(UnclosedQuote { line: quote_line });
    }
    fields.push(field);
    push_record(&mut records, record_line, fields);
    Ok(records)
}

fn push_record(records: &mut Vec<Record>, line: usize, fields: Vec<String>) {
    let blank = fields.iter().all(|f| f.trim().is_empty());
    if !blank {
        records.push(Record { line, fields });
    }
}

/// Appends one record, quoting fields that need it, ending with CRLF (what Excel writes).
pub fn write_record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let field = field.as_ref();
        // A leading = + - @ would make a spreadsheet run a formula: quote it with a leading apostrophe.
        let formula = field.starts_with(['=', '+', '-', '@']) && field.parse::<f64>().is_err();
        if formula || field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            if formula {
                out.push('\'');
            }
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

/// Encodes text as Shift_JIS (Windows-31J, what Excel in Japan opens by default). A character
/// Shift_JIS lacks is written as an HTML numeric reference (`&#12345;`) rather than dropped.
pub fn to_shift_jis(text: &str) -> Vec<u8> {
    encoding_rs::SHIFT_JIS.encode(text).0.into_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn quoted_fields_and_line_numbers() {
        let records = read("a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\n\nlast,").unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(records[1].fields, ["x, \"y\"", "two\nlines"]);
        assert_eq!((records[1].line, records[2].line), (2, 5));
        assert_eq!(records[2].fields, ["last", ""]);
        assert_eq!(read("a\n\"open").unwrap_err(), UnclosedQuote { line: 2 });
    }

    #[test]
    fn writing_round_trips() {
        let mut out = String::new();
        write_record(&mut out, &["plain", "a,b", "say \"hi\"", "=SUM(A1)", "-5"]);
        assert_eq!(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"'=SUM(A1)\",-5\r\n");
        let back = read(&out).unwrap();
        assert_eq!(back[0].fields[2], "say \"hi\"");
    }

    #[test]
    fn shift_jis_output() {
        assert_eq!(to_shift_jis("修了,A"), b"\x8f\x43\x97\xb9,A");
        assert_eq!(to_shift_jis("🙂"), b"&#128578;");
    }
}
