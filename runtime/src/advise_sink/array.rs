//! [`Array`]: a MAPI array lent for an `OnNotify` call (the notifications, a row's property
//! values), read as views decoded one element at a time: [`Events`](super::Events) and
//! [`Props`](super::Props) are this one type for their element.
//!
//! # Invariant
//! An `Array<'a, T>` is made only from elements whose pointers follow MAPI's `OnNotify`
//! contract for `'a` ([`Array::new`]'s callers promise it), so decoding any of them is sound.

use core::fmt;

mod sealed {
    /// An element of a MAPI array (`sys::NOTIFICATION`, `sys::SPropValue`), and the view it is
    /// read as. The element type, not the view, parameterizes [`Array`](super::Array): it
    /// borrows nothing, so an `Array<'a, _>` is covariant in `'a` as a plain slice is.
    pub trait Decode: 'static {
        /// The view of one element.
        type View<'a>;

        /// # Safety
        /// The pointers in `raw` follow the `OnNotify` contract for `'a`.
        unsafe fn decode(raw: &Self) -> Self::View<'_>;
    }
}
pub(super) use sealed::Decode;

/// A borrowed MAPI array, each element decoded as it is reached: no copy, no allocation.
/// Named for what it holds: [`Events`](super::Events) is `Array<'a, sys::NOTIFICATION>` (the
/// notifications of one call, read as [`Event`](super::Event)s) and [`Props`](super::Props)
/// is `Array<'a, sys::SPropValue>` (property values, read as
/// [`PropValue`](super::PropValue)s).
///
/// ```
/// use mapi_notify_sink::advise_sink::{Event, Events, Value};
///
/// /// The message sizes in the rows a call added, if the rows have them.
/// fn sizes(events: &Events<'_>) -> Vec<i32> {
///     let mut sizes = Vec::new();
///     for event in events {
///         if let Event::TableModified(table) = event {
///             for prop in &table.row() {
///                 if let (0x0E08, Value::Long(size)) = (prop.id(), prop.value()) {
///                     sizes.push(size);
///                 }
///             }
///         }
///     }
///     sizes
/// }
/// ```
pub struct Array<'a, T: Decode> {
    raw: &'a [T],
}

impl<'a, T: Decode> Array<'a, T> {
    /// # Safety
    /// The pointers in every element of `raw` follow the `OnNotify` contract for `'a`.
    #[inline]
    pub(super) unsafe fn new(raw: &'a [T]) -> Self {
        Self { raw }
    }

    /// How many elements there are.
    #[inline]
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    /// Whether there are none.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The elements in order, each decoded as it is reached.
    #[inline]
    pub fn iter(&self) -> Iter<'a, T> {
        Iter {
            raw: self.raw.iter(),
        }
    }

    /// The element at `index`.
    #[inline]
    pub fn get(&self, index: usize) -> Option<T::View<'a>> {
        // SAFETY: the invariant.
        self.raw.get(index).map(|raw| unsafe { T::decode(raw) })
    }

    /// The elements as sent, for fields without an accessor.
    #[inline]
    pub fn raw(&self) -> &'a [T] {
        self.raw
    }
}

impl<T: Decode> Clone for Array<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Decode> Copy for Array<'_, T> {}

impl<'a, T: Decode> IntoIterator for &Array<'a, T> {
    type Item = T::View<'a>;
    type IntoIter = Iter<'a, T>;

    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, T: Decode> fmt::Debug for Array<'a, T>
where
    T::View<'a>: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// An iterator over a notification array ([`Event`](super::Event)s) or a property array
/// ([`PropValue`](super::PropValue)s) as MAPI sent it, decoding each element as it is
/// reached: no allocation.
///
/// ```
/// use mapi_notify_sink::advise_sink::{Event, Events};
///
/// /// Whether the last event of a call is new mail: `Iter` is double-ended and knows its length.
/// fn ends_with_new_mail(events: &Events<'_>) -> bool {
///     let mut iter = events.iter();
///     iter.len() > 0 && matches!(iter.next_back(), Some(Event::NewMail(_)))
/// }
/// ```
pub struct Iter<'a, T: Decode> {
    raw: core::slice::Iter<'a, T>,
}

impl<'a, T: Decode> Iterator for Iter<'a, T> {
    type Item = T::View<'a>;

    #[inline]
    fn next(&mut self) -> Option<T::View<'a>> {
        // SAFETY: the array was read under the `OnNotify` contract (`Array`'s invariant).
        self.raw.next().map(|raw| unsafe { T::decode(raw) })
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.raw.size_hint()
    }
}

impl<'a, T: Decode> DoubleEndedIterator for Iter<'a, T> {
    #[inline]
    fn next_back(&mut self) -> Option<T::View<'a>> {
        // SAFETY: as in `next`.
        self.raw.next_back().map(|raw| unsafe { T::decode(raw) })
    }
}

impl<T: Decode> ExactSizeIterator for Iter<'_, T> {}

impl<T: Decode> core::iter::FusedIterator for Iter<'_, T> {}

impl<T: Decode> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Self {
            raw: self.raw.clone(),
        }
    }
}

impl<'a, T: Decode> fmt::Debug for Iter<'a, T>
where
    T::View<'a>: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}
