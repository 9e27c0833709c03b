// What both Linux C++ callers (notify_caller.cpp, advise_caller.cpp) need of the Windows
// headers, declared here the way <winnt.h>, <guiddef.h> and <unknwnbase.h> declare it: the
// calling convention, HRESULT and ULONG, GUID, IUnknown as an abstract class, and the IIDs both
// use. No C++ standard library: only the compiler's <stddef.h>/<stdint.h>.

#ifndef MAPI_NOTIFY_SINK_TESTS_COM_H
#define MAPI_NOTIFY_SINK_TESTS_COM_H

#include <stddef.h>
#include <stdint.h>

// As <winnt.h>/<objbase.h>: COM methods are __stdcall on Windows (which matters on 32-bit x86
// only); elsewhere there is one C calling convention, which is what Rust's "system" ABI means.
#if defined(_WIN32)
#define STDMETHODCALLTYPE __stdcall
#else
#define STDMETHODCALLTYPE
#endif

// Windows' LONG/ULONG are 32-bit; `long` is 64-bit on Linux, so use fixed-width types.
typedef int32_t HRESULT;
typedef uint32_t ULONG;

static const HRESULT S_OK = 0;
static const HRESULT E_NOINTERFACE = (HRESULT)0x80004002u;
static const HRESULT E_POINTER = (HRESULT)0x80004003u;

// <guiddef.h>: `unsigned long Data1` is 32-bit on Windows.
struct GUID {
    uint32_t Data1;
    unsigned short Data2;
    unsigned short Data3;
    unsigned char Data4[8];
};
typedef GUID IID;
// <guiddef.h> in C++: `#define REFIID const IID &` (passed as a pointer at the ABI level).
typedef const IID& REFIID;

static_assert(sizeof(GUID) == 16, "GUID is 16 bytes");

static const IID IID_IUnknown = {
    0x00000000, 0x0000, 0x0000, {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};
static const IID IID_IMAPIOfflineNotify = {
    0x0317bde5, 0xfc29, 0x44cd, {0x8d, 0xcd, 0x36, 0x12, 0x5a, 0x3b, 0xe9, 0xec}};
static const IID IID_IAgileObject = {
    0x94ea2b94, 0xe9cc, 0x49e0, {0xc0, 0xff, 0xee, 0x64, 0xca, 0x8f, 0x5b, 0x90}};
// An interface no sink implements.
static const IID IID_INotImplemented = {
    0x5ca1ab1e, 0xdead, 0x4bee, {0xa0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07}};

// <unknwnbase.h>, minus the template helpers.
struct IUnknown {
    virtual HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppvObject) = 0;
    virtual ULONG STDMETHODCALLTYPE AddRef() = 0;
    virtual ULONG STDMETHODCALLTYPE Release() = 0;
};

#endif
