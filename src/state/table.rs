//! Cursor and scroll of a long list: only the window on screen is ever drawn.

/// Where a moving key takes the cursor of a short list (the queue, the tag manager, a notes
/// search) of `len` rows, `half` rows being half a page; none for any other action.
pub fn list_step(
    cursor: usize,
    len: usize,
    half: usize,
    action: &crate::state::Action,
) -> Option<usize> {
    use crate::state::Action;
    let last = len.saturating_sub(1);
    let half = half.max(1);
    Some(match action {
        Action::Down => (cursor + 1).min(last),
        Action::Up => cursor.saturating_sub(1),
        Action::Top => 0,
        Action::Bottom => last,
        Action::HalfPageDown | Action::PageDown => (cursor + half).min(last),
        Action::HalfPageUp | Action::PageUp => cursor.saturating_sub(half),
        _ => return None,
    })
}

/// The cursor, the first visible row and how many rows fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableState {
    pub cursor: usize,
    pub offset: usize,
    pub viewport: usize,
}

impl TableState {
    /// Puts the cursor on `index` (clamped to the list) and scrolls it into view.
    pub fn select(&mut self, index: usize, len: usize) {
        self.cursor = index.min(len.saturating_sub(1));
        self.scroll_into_view(len);
    }

    /// Moves the cursor by `delta` rows, stopping at either end.
    pub fn move_by(&mut self, delta: isize, len: usize) {
        let target = if delta < 0 {
            self.cursor.saturating_sub(delta.unsigned_abs())
        } else {
            self.cursor.saturating_add(delta.unsigned_abs())
        };
        self.select(target, len);
    }

    /// Sets how many rows fit on screen.
    pub fn set_viewport(&mut self, rows: usize, len: usize) {
        self.viewport = rows;
        self.scroll_into_view(len);
    }

    /// Rows per page (at least one).
    pub fn page(&self) -> isize {
        self.viewport.max(1) as isize
    }

    /// Rows per half page (at least one).
    pub fn half_page(&self) -> isize {
        (self.viewport / 2).max(1) as isize
    }

    /// The index range on screen.
    pub fn visible(&self, len: usize) -> std::ops::Range<usize> {
        let start = self.offset.min(len);
        start..(start + self.viewport).min(len)
    }

    fn scroll_into_view(&mut self, len: usize) {
        let viewport = self.viewport.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + viewport {
            self.offset = self.cursor + 1 - viewport;
        }
        // Never leave blank rows at the bottom when the list could fill them.
        let max_offset = len.saturating_sub(viewport);
        self.offset = self.offset.min(max_offset);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_stays_in_view_and_in_bounds() {
        let mut t = TableState::default();
        t.set_viewport(10, 100);
        t.move_by(15, 100);
        assert_eq!((t.cursor, t.offset), (15, 6));
        t.move_by(-20, 100);
        assert_eq!((t.cursor, t.offset), (0, 0));
        t.select(500, 100);
        assert_eq!((t.cursor, t.offset), (99, 90));
        assert_eq!(t.visible(100), 90..100);
        t.set_viewport(50, 100);
        assert_eq!(t.offset, 50);
    }

    #[test]
    fn an_empty_list_is_safe() {
        let mut t = TableState::default();
        t.move_by(5, 0);
        t.set_viewport(0, 0);
        assert_eq!((t.cursor, t.offset), (0, 0));
        assert_eq!(t.visible(0), 0..0);
    }
}
