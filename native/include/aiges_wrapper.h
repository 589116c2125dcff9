/*
 * The ASE engine-loader plugin ABI ("wrapper"), binary-compatible with the loader of
 * iflytek/aiges: a plugin is a shared library (libwrapper.so) exporting the functions below.
 * Written from the ABI's facts (shared/reference/aiges-wrapper-abi.md): Linux x86-64, default
 * alignment, C enums are 4-byte ints, structs in the field order given there.
 *
 * Ownership: lists the host passes in (cfg, params, reqData) belong to the host and are valid only
 * during the call. Results a plugin hands back (wrapperRead, wrapperExec, callbacks) belong to the
 * plugin: the host copies them out at once; wrapperExec's are freed with wrapperExecFree, and
 * wrapperRead's stay valid until the next Read or wrapperDestroy.
 */
#ifndef INFERENCE_AIGES_WRAPPER_H
#define INFERENCE_AIGES_WRAPPER_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    WRAPPER_CTRL_METER_CUSTOM = 0, /* func: wrapperMeterCustom */
    WRAPPER_CTRL_METRICS_LOG = 1,
    WRAPPER_CTRL_TRACE_LOG = 2     /* func: wrapperTraceLog */
} CtrlType;

typedef enum {
    WRAPPER_DATA_TEXT = 0,
    WRAPPER_DATA_AUDIO = 1,
    WRAPPER_DATA_IMAGE = 2,
    WRAPPER_DATA_VIDEO = 3,
    WRAPPER_DATA_PER = 4           /* personalization resource data */
} DataType;

typedef enum {
    WRAPPER_STATUS_BEGIN = 0,
    WRAPPER_STATUS_CONTINUE = 1,
    WRAPPER_STATUS_END = 2,
    WRAPPER_STATUS_ONCE = 3        /* one-shot, not part of a session */
} DataStatus;

/* A singly linked list of key/value pairs: the init config, request parameters, data descriptions. */
typedef struct ParamList {
    char* key;
    char* value;
    unsigned int vlen;
    struct ParamList* next;
} ParamList, *pParamList;

/* A singly linked list of data segments; encoding, sample rate and the like travel in desc. */
typedef struct DataList {
    char* key;
    void* data;
    unsigned int len;
    DataType type;
    DataStatus status;
    ParamList* desc;
    struct DataList* next;
} DataList, *pDataList;

/* Implemented by the host; the plugin calls it with results in async mode. */
typedef int (*wrapperCallback)(const void* usrTag, DataList* respData, int ret);
typedef int (*wrapperMeterCustom)(const void* usrTag, const char* meterKey, int count);
typedef int (*wrapperTraceLog)(const char* usrTag, const char* key, const char* value);

#define WRAPPER_API __attribute__((visibility("default")))

/* Required. */
WRAPPER_API int wrapperInit(ParamList* cfg);
WRAPPER_API int wrapperFini(void);
WRAPPER_API const char* wrapperError(int errNum);
WRAPPER_API const char* wrapperVersion(void);
WRAPPER_API const void* wrapperCreate(const char* usrTag, ParamList* params, wrapperCallback cb,
                                      unsigned int psrIds[], int psrCnt, int* errNum);
WRAPPER_API int wrapperWrite(const void* handle, DataList* reqData);
WRAPPER_API int wrapperDestroy(const void* handle);
WRAPPER_API int wrapperExec(const char* usrTag, ParamList* params, DataList* reqData, DataList** respData,
                            unsigned int psrIds[], int psrCnt);
WRAPPER_API int wrapperExecFree(const char* usrTag, DataList** respData);

/* Optional for this host (the reference loader requires them all). */
WRAPPER_API int wrapperSetCtrl(CtrlType type, void* func);
WRAPPER_API int wrapperLoadRes(DataList* perData, unsigned int resId);
WRAPPER_API int wrapperUnloadRes(unsigned int resId);
WRAPPER_API int wrapperRead(const void* handle, DataList** respData);  /* required in sync mode */
WRAPPER_API int wrapperExecAsync(const char* usrTag, ParamList* params, DataList* reqData, wrapperCallback cb,
                                 int timeoutMs, unsigned int psrIds[], int psrCnt);
WRAPPER_API const char* wrapperDebugInfo(const void* handle);

#ifdef __cplusplus
}
#endif

#endif /* INFERENCE_AIGES_WRAPPER_H */
