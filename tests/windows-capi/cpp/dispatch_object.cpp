// An IDispatch object written in C++ against mingw-w64's real <oaidl.h> and <oleauto.h>, as an
// Office object is written: the Rust side (`capi_dispatch_check`, the library's
// `automation::Dispatch`) calls it late-bound, and this side checks what arrived (types,
// argument order, names looked up once) and that every reference it handed out came back.
//
// Members (DISPIDs are this object's own; the caller must look them up):
//   Echo(v)     returns a copy of v (VariantCopy) and remembers its VARTYPE
//   LastType    the VARTYPE Echo last received (VT_I4)
//   Args(...)   its arguments, in the order the caller wrote them, as a SAFEARRAY of VARIANT
//   Value       a property (get and put)
//   Counter     a by-reference result: VT_BYREF | VT_I4 pointing into this object (7)
//   NullByRef   VT_BYREF | VT_I4 holding a null pointer
//   Embedded    a BSTR of 3 units with a NUL in the middle ("a\0b")
//   TwoD        a 2 x 2 SAFEARRAY of VT_I4
//   NullObject  VT_DISPATCH holding a null pointer
//   Fail        raises an exception: DISP_E_EXCEPTION, scode E_FAIL, a description
//   Owner       an object property: set by reference (DISPATCH_PROPERTYPUTREF, as Visual
//               Basic's Set; a plain put is refused as Office's typelib-driven objects refuse
//               it), cleared by a put of VT_EMPTY, read back
//   Holder      an object property declared a plain put (as a Variant-typed property is): a
//               put by reference is refused (DISP_E_MEMBERNOTFOUND, as a type library's
//               Invoke answers), a put by value stores it
#include <objbase.h>
#include <oaidl.h>
#include <oleauto.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

void check(bool ok, const char* what);
void check_eq(const char* what, unsigned long long got, unsigned long long want);

extern "C" uint32_t capi_dispatch_check(void* dispatch, uint32_t* passed);

namespace {

struct Member {
    const wchar_t* name;
    DISPID id;
    unsigned lookups;
};

class Object final : public IDispatch {
  public:
    Object() {
        VariantInit(&value_);
        VariantInit(&holder_);
    }
    ~Object() {
        VariantClear(&value_);
        VariantClear(&holder_);
        if (owner_ != nullptr) owner_->Release();
    }

    // IUnknown
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
        if (out == nullptr) return E_POINTER;
        if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch)) {
            *out = static_cast<IDispatch*>(this);
            AddRef();
            return S_OK;
        }
        *out = nullptr;
        return E_NOINTERFACE;
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return ++refs_; }
    ULONG STDMETHODCALLTYPE Release() override {
        ULONG left = --refs_;
        if (left == 0) {
            ++deleted;
            delete this;
        }
        return left;
    }

    // IDispatch
    HRESULT STDMETHODCALLTYPE GetTypeInfoCount(UINT* count) override {
        if (count == nullptr) return E_POINTER;
        *count = 0;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE GetTypeInfo(UINT, LCID, ITypeInfo**) override {
        return DISP_E_BADINDEX;
    }
    HRESULT STDMETHODCALLTYPE GetIDsOfNames(REFIID, LPOLESTR* names, UINT count, LCID,
                                            DISPID* ids) override {
        if (names == nullptr || ids == nullptr || count == 0) return E_INVALIDARG;
        for (UINT i = 0; i < count; ++i) ids[i] = DISPID_UNKNOWN;
        for (Member& member : members) {
            if (_wcsicmp(member.name, names[0]) == 0) {
                ++member.lookups;
                ids[0] = member.id;
                return count == 1 ? S_OK : DISP_E_UNKNOWNNAME;
            }
        }
        return DISP_E_UNKNOWNNAME;
    }
    HRESULT STDMETHODCALLTYPE Invoke(DISPID id, REFIID, LCID, WORD flags, DISPPARAMS* params,
                                     VARIANT* result, EXCEPINFO* exception,
                                     UINT*) override {
        if (params == nullptr) return E_POINTER;
        UINT args = params->cArgs;
        if (result != nullptr) VariantInit(result);
        switch (id) {
        case 1: // Echo
            if (args != 1) return DISP_E_BADPARAMCOUNT;
            last_type_ = V_VT(&params->rgvarg[0]);
            return result ? VariantCopy(result, &params->rgvarg[0]) : S_OK;
        case 2: // LastType
            V_VT(result) = VT_I4;
            V_I4(result) = last_type_;
            return S_OK;
        case 3: { // Args: rgvarg holds the last argument first
            SAFEARRAY* array = SafeArrayCreateVector(VT_VARIANT, 0, args);
            if (array == nullptr) return E_OUTOFMEMORY;
            for (UINT written = 0; written < args; ++written) {
                LONG index = written;
                SafeArrayPutElement(array, &index, &params->rgvarg[args - 1 - written]);
            }
            V_VT(result) = VT_ARRAY | VT_VARIANT;
            V_ARRAY(result) = array;
            return S_OK;
        }
        case 4: // Value
            if (flags & DISPATCH_PROPERTYPUT) {
                if (args != 1 || params->cNamedArgs != 1 ||
                    params->rgdispidNamedArgs[0] != DISPID_PROPERTYPUT)
                    return DISP_E_PARAMNOTOPTIONAL;
                ++puts;
                return VariantCopy(&value_, &params->rgvarg[0]);
            }
            return VariantCopy(result, &value_);
        case 5: // Counter
            V_VT(result) = VT_BYREF | VT_I4;
            V_I4REF(result) = &counter_;
            return S_OK;
        case 6: // NullByRef
            V_VT(result) = VT_BYREF | VT_I4;
            V_I4REF(result) = nullptr;
            return S_OK;
        case 7: // Embedded
            V_VT(result) = VT_BSTR;
            V_BSTR(result) = SysAllocStringLen(L"a\0b", 3);
            return S_OK;
        case 8: { // TwoD
            SAFEARRAYBOUND bounds[2] = {{2, 0}, {2, 0}};
            V_VT(result) = VT_ARRAY | VT_I4;
            V_ARRAY(result) = SafeArrayCreate(VT_I4, 2, bounds);
            return S_OK;
        }
        case 9: // NullObject
            V_VT(result) = VT_DISPATCH;
            V_DISPATCH(result) = nullptr;
            return S_OK;
        case 10: // Fail
            if (exception != nullptr) {
                memset(exception, 0, sizeof *exception);
                exception->bstrSource = SysAllocString(L"dispatch_object.cpp");
                exception->bstrDescription = SysAllocString(L"the C++ object refuses");
                exception->scode = E_FAIL;
            }
            return DISP_E_EXCEPTION;
        case 11: // Owner
            if (flags & (DISPATCH_PROPERTYPUT | DISPATCH_PROPERTYPUTREF)) {
                if (args != 1 || params->cNamedArgs != 1 ||
                    params->rgdispidNamedArgs[0] != DISPID_PROPERTYPUT)
                    return DISP_E_PARAMNOTOPTIONAL;
                VARIANT* value = &params->rgvarg[0];
                if ((flags & DISPATCH_PROPERTYPUTREF) && V_VT(value) == VT_DISPATCH) {
                    ++putrefs;
                    if (V_DISPATCH(value) != nullptr) V_DISPATCH(value)->AddRef();
                    if (owner_ != nullptr) owner_->Release();
                    owner_ = V_DISPATCH(value);
                    return S_OK;
                }
                if ((flags & DISPATCH_PROPERTYPUT) && V_VT(value) == VT_EMPTY) {
                    if (owner_ != nullptr) owner_->Release();
                    owner_ = nullptr;
                    return S_OK;
                }
                return DISP_E_TYPEMISMATCH;
            }
            V_VT(result) = VT_DISPATCH;
            V_DISPATCH(result) = owner_;
            if (owner_ != nullptr) owner_->AddRef();
            return S_OK;
        case 12: // Holder
            if (flags & DISPATCH_PROPERTYPUTREF) {
                ++refused_putrefs;
                return DISP_E_MEMBERNOTFOUND;
            }
            if (flags & DISPATCH_PROPERTYPUT) {
                if (args != 1 || params->cNamedArgs != 1 ||
                    params->rgdispidNamedArgs[0] != DISPID_PROPERTYPUT)
                    return DISP_E_PARAMNOTOPTIONAL;
                ++holder_puts;
                return VariantCopy(&holder_, &params->rgvarg[0]);
            }
            return VariantCopy(result, &holder_);
        }
        return DISP_E_MEMBERNOTFOUND;
    }

    Member members[12] = {
        {L"Echo", 1, 0},      {L"LastType", 2, 0}, {L"Args", 3, 0},     {L"Value", 4, 0},
        {L"Counter", 5, 0},   {L"NullByRef", 6, 0}, {L"Embedded", 7, 0}, {L"TwoD", 8, 0},
        {L"NullObject", 9, 0}, {L"Fail", 10, 0},    {L"Owner", 11, 0},     {L"Holder", 12, 0},
    };
    unsigned puts = 0;
    unsigned putrefs = 0;
    unsigned refused_putrefs = 0;
    unsigned holder_puts = 0;
    static unsigned deleted;

  private:
    ULONG refs_ = 1;
    VARIANT value_;
    LONG counter_ = 7;
    VARTYPE last_type_ = VT_EMPTY;
    IDispatch* owner_ = nullptr;
    VARIANT holder_;
};

unsigned Object::deleted = 0;

} // namespace

// Hands the object to the Rust side's checks, then checks what this side saw.
void run_dispatch_checks() {
    Object* object = new Object();
    uint32_t rust_passed = 0;
    uint32_t rust_failed = capi_dispatch_check(static_cast<IDispatch*>(object), &rust_passed);
    check(rust_failed == 0, "the Rust Dispatch's checks against the C++ IDispatch all passed");
    check(rust_passed >= 30, "the Rust side ran its checks (30 or more)");
    for (const Member& member : object->members) {
        char what[96];
        snprintf(what, sizeof what, "GetIDsOfNames(\"%ls\") called once (the DISPID is cached)",
                 member.name);
        check_eq(what, member.lookups, 1);
    }
    check_eq("Value was put once, with DISPID_PROPERTYPUT named", object->puts, 1);
    check_eq("Owner was set once by reference (DISPATCH_PROPERTYPUTREF)", object->putrefs, 1);
    check_eq("Holder was asked by reference first, as ATL does", object->refused_putrefs, 1);
    check_eq("... then set by value (DISPATCH_PROPERTYPUT), and emptied", object->holder_puts, 2);
    // Every reference Rust took (QueryInterface, the Echo of the object itself) was released:
    // only this function's own is left, and its Release deletes the object.
    check_eq("the object's references after the Rust side: only ours", object->AddRef() - 1, 1);
    object->Release();
    object->Release();
    check_eq("the object was deleted once", Object::deleted, 1);
}
