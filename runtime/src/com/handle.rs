//! The handle API every sink kind gives its users, written once: for a kind's
//! `pub struct $Name<T: $Handler>(ComRef<sys::$Interface, T>)` (whose module writes the struct
//! and `new` itself, so a missing handler trait is reported there, in the kind's words),
//! [`sink_handle_api!`] adds the [`Serve`](super::Serve) impl that makes the kind's vtable from
//! `IUnknown`'s slots and the kind's own, and the methods and traits of a handle: `as_raw`,
//! `into_raw`, `from_raw`, `to_unknown`, `to_interface`, `ref_count`, `Clone`, `Deref` and
//! `Debug`, each a call into [`ComRef`](super::ComRef).

/// `sink_handle_api!(Sink<T: NotifySink> implements IMAPIOfflineNotify(IMAPIOfflineNotify_Vtbl { Notify: notify }));`
/// where `notify::<T>` is the kind's slot, written for an object made for `T`, and
/// `T::__ON_PANIC` is the handler trait's `on_panic`.
macro_rules! sink_handle_api {
    ($Name:ident<T: $Handler:ident> implements $Interface:ident($Vtbl:ident { $Slot:ident: $slot:ident })) => {
        // SAFETY: the vtable starts with `unknown_slots` for this kind and `T`, and its one
        // slot after them is the kind's, written for an object made for `T`.
        unsafe impl<T: $Handler> $crate::com::Serve<$crate::sys::$Interface> for T {
            const VTABLE: &'static $crate::sys::$Vtbl = &$crate::sys::$Vtbl {
                base__: $crate::com::unknown_slots::<$crate::sys::$Interface, T>(),
                $Slot: $slot::<T>,
            };
            const ON_PANIC: $crate::com::OnPanic = T::__ON_PANIC;
        }

        impl<T: $Handler> $Name<T> {
            /// The object's interface pointer, which is also its identity `IUnknown*`,
            /// borrowed: valid while this handle (or another reference) lives. `AddRef` it to
            /// keep it longer.
            pub fn as_raw(&self) -> *mut ::core::ffi::c_void {
                self.0.as_raw()
            }

            /// Gives this handle's reference away as the object's interface pointer (for a COM
            /// out parameter). Take it back with `from_raw`, or let a COM caller `Release` it.
            #[must_use = "losing the pointer leaks the object: its reference is never released"]
            pub fn into_raw(self) -> *mut ::core::ffi::c_void {
                self.0.into_raw()
            }

            /// Takes back one reference to a sink object.
            ///
            /// # Safety
            /// `raw` is a pointer this crate handed out for a handle of this kind and this
            /// same `T` (from `into_raw`, `as_raw` plus an `AddRef`, or `QueryInterface` on
            /// such an object for `IUnknown`, the kind's own interface or `IAgileObject`: the
            /// one object pointer), and the caller owns the reference it takes over. Not the
            /// `IMarshal` pointer `QueryInterface` hands out on Windows: that is the
            /// free-threaded marshaler, an object of its own.
            ///
            /// # Panics
            /// When `raw` is null.
            pub unsafe fn from_raw(raw: *mut ::core::ffi::c_void) -> Self {
                // SAFETY: the caller's promise, passed on.
                Self(unsafe { $crate::com::ComRef::from_raw(raw) })
            }

            /// A new reference to the object as a windows-core `IUnknown`.
            pub fn to_unknown(&self) -> ::windows_core::IUnknown {
                self.0.to_unknown()
            }

            /// A new reference to the object as its windows-core interface (`sys`'s type for
            /// this kind).
            pub fn to_interface(&self) -> $crate::sys::$Interface {
                self.0.to_interface()
            }

            /// The object's reference count right now (a diagnostic: other threads may change
            /// it).
            pub fn ref_count(this: &Self) -> u32 {
                this.0.count()
            }
        }

        impl<T: $Handler> Clone for $Name<T> {
            /// `AddRef`.
            fn clone(&self) -> Self {
                Self(self.0.clone())
            }
        }

        impl<T: $Handler> ::core::ops::Deref for $Name<T> {
            type Target = T;

            fn deref(&self) -> &T {
                self.0.value()
            }
        }

        impl<T: $Handler + ::core::fmt::Debug> ::core::fmt::Debug for $Name<T> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_tuple(stringify!($Name)).field(&**self).finish()
            }
        }
    };
}
pub(crate) use sink_handle_api;
