//! The text fields of one part of a certificate, in one allocation.

/// Up to `N` texts joined in one `String`. A certificate part has up to nine text fields,
/// and on the scan path a `String` each cost more than checking them.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Texts<const N: usize> {
    joined: String,
    /// Each field's bytes in `joined`, or `None` when it is absent.
    spans: [Option<(u32, u32)>; N],
}

impl<const N: usize> Texts<N> {
    /// The fields in order, `None` for an absent one. Each text is at most a payload long,
    /// far below `u32::MAX`; a longer one would read back as absent.
    pub(super) fn new(texts: [Option<&str>; N]) -> Self {
        let len = texts
            .iter()
            .flatten()
            .fold(0usize, |sum, text| sum.saturating_add(text.len()));
        let mut joined = String::with_capacity(len);
        let spans = texts.map(|text| {
            let start = u32::try_from(joined.len()).ok()?;
            joined.push_str(text?);
            Some((start, u32::try_from(joined.len()).ok()?))
        });
        Self { joined, spans }
    }

    /// Field `field`, if present.
    pub(super) fn get(&self, field: usize) -> Option<&str> {
        let (start, end) = self.spans.get(field).copied().flatten()?;
        let (start, end) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
        self.joined.get(start..end)
    }

    /// A field the schema requires (so always present after parsing).
    pub(super) fn required(&self, field: usize) -> &str {
        self.get(field).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::Texts;

    #[test]
    fn fields_read_back_as_given() {
        let texts = Texts::new([Some("DE"), None, Some(""), Some("URN:UVCI:01")]);
        assert_eq!(texts.get(0), Some("DE"));
        assert_eq!(texts.get(1), None);
        assert_eq!(texts.get(2), Some(""));
        assert_eq!(texts.get(3), Some("URN:UVCI:01"));
        assert_eq!(texts.get(4), None, "beyond N");
        assert_eq!(texts.required(1), "");
        // No `Debug` (names are personal data), so no assert_ne.
        assert!(texts != Texts::new([Some("D"), None, Some("E"), Some("URN:UVCI:01")]));
    }
}
