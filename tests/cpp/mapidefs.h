// The part of MAPIDefS.h an advise sink meets, for advise_caller.cpp: NOTIFICATION and its
// members as the header lays them out (with the ulAlignPad and ulPad the reference pages leave
// out), and IMAPIAdviseSink. Include after com.h. The static_asserts are the header's sizes on
// 64-bit and 32-bit targets: if this file and the Rust side disagree, one of them is wrong.

#ifndef MAPI_NOTIFY_SINK_TESTS_MAPIDEFS_H
#define MAPI_NOTIFY_SINK_TESTS_MAPIDEFS_H

typedef int32_t SCODE;

#define MAPI_UNICODE 0x80000000u
#define fnevNewMail 0x00000002u
#define fnevObjectMoved 0x00000020u
#define fnevTableModified 0x00000100u
#define fnevExtended 0x80000000u
#define TABLE_ROW_ADDED 3u
#define MAPI_MESSAGE 5u
#define PT_NULL 1u
#define PT_LONG 3u
#define PT_UNICODE 31u
#define PT_BINARY 258u
#define PROP_TAG(type, id) ((((ULONG)(id)) << 16) | ((ULONG)(type)))

typedef struct _ENTRYID {
    unsigned char abFlags[4];
    unsigned char ab[1];
} ENTRYID, *LPENTRYID;

typedef struct _SPropTagArray {
    ULONG cValues;
    ULONG aulPropTag[1];
} SPropTagArray, *LPSPropTagArray;

typedef struct _SBinary {
    ULONG cb;
    unsigned char* lpb;
} SBinary;

typedef struct _FILETIME {
    uint32_t dwLowDateTime;
    uint32_t dwHighDateTime;
} FILETIME;

typedef union _PV {
    short i;
    int32_t l;
    ULONG ul;
    float flt;
    double dbl;
    unsigned short b;
    int64_t cur;
    double at;
    FILETIME ft;
    char* lpszA;
    SBinary bin;
    char16_t* lpszW;
    GUID* lpguid;
    int64_t li;
    struct {
        ULONG cValues;
        void* lpv;
    } MV;
    SCODE err;
    int32_t x;
} __UPV;

typedef struct _SPropValue {
    ULONG ulPropTag;
    ULONG dwAlignPad;
    union _PV Value;
} SPropValue, *LPSPropValue;

typedef struct _SRow {
    ULONG ulAdrEntryPad;
    ULONG cValues;
    LPSPropValue lpProps;
} SRow;

typedef struct _MAPIERROR {
    ULONG ulVersion;
    void* lpszError;
    void* lpszComponent;
    ULONG ulLowLevelError;
    ULONG ulContext;
} MAPIERROR, *LPMAPIERROR;

typedef struct _ERROR_NOTIFICATION {
    ULONG cbEntryID;
    LPENTRYID lpEntryID;
    SCODE scode;
    ULONG ulFlags;
    LPMAPIERROR lpMAPIError;
} ERROR_NOTIFICATION;

typedef struct _NEWMAIL_NOTIFICATION {
    ULONG cbEntryID;
    LPENTRYID lpEntryID;
    ULONG cbParentID;
    LPENTRYID lpParentID;
    ULONG ulFlags;
    void* lpszMessageClass;
    ULONG ulMessageFlags;
} NEWMAIL_NOTIFICATION;

typedef struct _OBJECT_NOTIFICATION {
    ULONG cbEntryID;
    LPENTRYID lpEntryID;
    ULONG ulObjType;
    ULONG cbParentID;
    LPENTRYID lpParentID;
    ULONG cbOldID;
    LPENTRYID lpOldID;
    ULONG cbOldParentID;
    LPENTRYID lpOldParentID;
    LPSPropTagArray lpPropTagArray;
} OBJECT_NOTIFICATION;

typedef struct _TABLE_NOTIFICATION {
    ULONG ulTableEvent;
    HRESULT hResult;
    SPropValue propIndex;
    SPropValue propPrior;
    SRow row;
    ULONG ulPad;
} TABLE_NOTIFICATION;

typedef struct _EXTENDED_NOTIFICATION {
    ULONG ulEvent;
    ULONG cb;
    unsigned char* pbEventParameters;
} EXTENDED_NOTIFICATION;

typedef struct _STATUS_OBJECT_NOTIFICATION {
    ULONG cbEntryID;
    LPENTRYID lpEntryID;
    ULONG cValues;
    LPSPropValue lpPropVals;
} STATUS_OBJECT_NOTIFICATION;

typedef struct _NOTIFICATION {
    ULONG ulEventType;
    ULONG ulAlignPad;
    union {
        ERROR_NOTIFICATION err;
        NEWMAIL_NOTIFICATION newmail;
        OBJECT_NOTIFICATION obj;
        TABLE_NOTIFICATION tab;
        EXTENDED_NOTIFICATION ext;
        STATUS_OBJECT_NOTIFICATION statobj;
    } info;
} NOTIFICATION, *LPNOTIFICATION;

#define MAPIDEFS_64 (sizeof(void*) == 8)
static_assert(sizeof(NOTIFICATION) == (MAPIDEFS_64 ? 88 : 64), "NOTIFICATION: 88 / 64 bytes");
static_assert(offsetof(NOTIFICATION, info) == 8, "NOTIFICATION::info at 8");
static_assert(sizeof(TABLE_NOTIFICATION) == (MAPIDEFS_64 ? 80 : 56), "TABLE_NOTIFICATION: 80 / 56");
static_assert(sizeof(OBJECT_NOTIFICATION) == (MAPIDEFS_64 ? 72 : 40), "OBJECT_NOTIFICATION: 72 / 40");
static_assert(sizeof(NEWMAIL_NOTIFICATION) == (MAPIDEFS_64 ? 56 : 28), "NEWMAIL_NOTIFICATION: 56 / 28");
static_assert(sizeof(ERROR_NOTIFICATION) == (MAPIDEFS_64 ? 32 : 20), "ERROR_NOTIFICATION: 32 / 20");
static_assert(sizeof(SPropValue) == (MAPIDEFS_64 ? 24 : 16), "SPropValue: 24 / 16");
static_assert(sizeof(SRow) == (MAPIDEFS_64 ? 16 : 12), "SRow: 16 / 12");

static const IID IID_IMAPIAdviseSink = {
    0x00020302, 0x0000, 0x0000, {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};

// MAPIDefS.h: `STDMETHOD_(ULONG, OnNotify)(THIS_ ULONG cNotif, LPNOTIFICATION lpNotifications)`.
struct IMAPIAdviseSink : public IUnknown {
    virtual ULONG STDMETHODCALLTYPE OnNotify(ULONG cNotif, LPNOTIFICATION lpNotifications) = 0;
};

#endif
