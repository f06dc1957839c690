//! Turning an exported file's bytes into text and finding its delimiter.

/// Decodes file bytes: strips a UTF-8 BOM, takes UTF-8 as is, and reads a line that is not
/// UTF-8 as Windows-1252 (what Excel writes on Windows), so no file is refused for its encoding
/// and one stray byte does not change how the other lines read.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_owned();
    }
    decode_lines(bytes)
}

/// [`decode`] of bytes the caller is done with: UTF-8 text (nearly every file) becomes the
/// string as it is, without a copy of the whole file.
pub fn decode_owned(mut bytes: Vec<u8>) -> String {
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(not_utf8) => decode_lines(not_utf8.as_bytes()),
    }
}

/// The UTF-8 byte order mark some Windows programs start a file with.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes text that is not all UTF-8, line by line.
fn decode_lines(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(text) => out.push_str(text),
            Err(_) => out.extend(line.iter().map(|&b| windows_1252(b))),
        }
    }
    out
}

/// The character a Windows-1252 byte stands for.
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// Picks the delimiter (comma, semicolon or tab) that splits the header line into the most
/// fields, ignoring delimiters inside quotes.
pub fn sniff_delimiter(text: &str) -> u8 {
    let header = first_record(text);
    let mut best = (b',', 0usize);
    for candidate in [b',', b';', b'\t'] {
        let mut count = 0;
        let mut quoted = false;
        for byte in header.bytes() {
            if byte == b'"' {
                quoted = !quoted;
            } else if byte == candidate && !quoted {
                count += 1;
            }
        }
        if count > best.1 {
            best = (candidate, count);
        }
    }
    best.0
}

/// The text up to the first line break outside quotes.
fn first_record(text: &str) -> &str {
    let mut quoted = false;
    for (i, ch) in text.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => return &text[..i],
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_utf8_and_windows_1252() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b"), "a,b");
        assert_eq!(decode("Zürich".as_bytes()), "Zürich");
        assert_eq!(decode(b"Z\xfcrich \x80"), "Zürich €");
        let mixed = [&b"Z\xc3\xbcrich\n"[..], b"M\xfcnchen\n"].concat();
        assert_eq!(decode(&mixed), "Zürich\nMünchen\n");
        for bytes in [
            &b"\xEF\xBB\xBFa,b"[..],
            "Zürich".as_bytes(),
            b"Z\xfcrich \x80",
            &mixed,
            b"\xEF\xBB\xBF\xEF\xBB\xBFZ\xfc",
            b"",
        ] {
            assert_eq!(decode_owned(bytes.to_vec()), decode(bytes));
        }
    }

    #[test]
    fn sniffs_the_delimiter_of_the_header() {
        assert_eq!(sniff_delimiter("a,b,c\n1;2;3;4;5"), b',');
        assert_eq!(sniff_delimiter("a;b;c\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("\"x;y\",b,c"), b',');
    }
}
