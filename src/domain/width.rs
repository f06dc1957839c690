//! Text measured in terminal cells, cut with a visible "…" and padded: wide characters (CJK,
//! emoji) take two cells, so counting chars would misalign columns.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Text cut to `width` terminal cells with a trailing "…", so a CSM sees a name was shortened
/// instead of mistaking the cut for the whole name.
pub fn cut(text: &str, width: usize) -> String {
    let total = UnicodeWidthStr::width(text);
    if total <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    // A whole string can be wider than its chars summed (an emoji with U+FE0F): trust the
    // string's width, as the terminal and ratatui do.
    while UnicodeWidthStr::width(out.as_str()) > width - 1 && out.pop().is_some() {}
    out.push('…');
    out
}

/// Text cut (as [`cut`]) or padded with spaces to exactly `width` cells, for aligned columns.
pub fn pad(text: &str, width: usize) -> String {
    let mut out = cut(text, width);
    let used = UnicodeWidthStr::width(out.as_str());
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

#[cfg(test)]
mod tests {
    use super::{UnicodeWidthStr, cut, pad};

    #[test]
    fn cut_keeps_short_text_and_marks_a_cut() {
        assert_eq!(cut("Acme", 10), "Acme");
        assert_eq!(cut("Acme", 4), "Acme");
        assert_eq!(cut("Acme Corp", 5), "Acme…");
        assert_eq!(cut("Acme", 0), "");
        // Wide characters count two cells and are never split.
        assert_eq!(cut("日本語の会社", 6), "日本…");
        assert_eq!(pad("日本語の会社", 6), "日本… ");
        assert_eq!(pad("Acme", 6), "Acme  ");
        // Emoji presentation selectors widen a string beyond its chars' sum.
        let hearts = "❤\u{FE0F}".repeat(10);
        for width in 0..25 {
            assert!(UnicodeWidthStr::width(cut(&hearts, width).as_str()) <= width);
            assert_eq!(UnicodeWidthStr::width(pad(&hearts, width).as_str()), width);
        }
    }
}
