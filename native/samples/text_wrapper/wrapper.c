/*
 * Sample native decoder plugin (ASE loader C ABI): transforms text.
 *
 * Config (wrapperInit): prefix=<text put before every result>; fail_init=1 makes init fail (tests).
 * Parameters: mode=upper|lower|reverse (default upper).
 * One-shot: wrapperExec reads the segment "text" and returns "result" = prefix + transformed text,
 *   followed by the texts of the personalization resources named in psrIds.
 * Streaming: every written chunk yields a partial result (the transformed chunk, status Begin for the
 *   first and Continue after; in reverse mode the chunk as written);
 *   the chunk with status End yields the whole transformed text (status End). Sync mode queues results
 *   for wrapperRead; async mode (a callback given to wrapperCreate) calls back for each at once.
 */
#include "aiges_wrapper.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define ERR_INIT 20001
#define ERR_EMPTY_TEXT 20002
#define ERR_BAD_HANDLE 20003
#define ERR_UNKNOWN_MODE 20004
#define ERR_NO_MEMORY 20005
#define ERR_NO_RESOURCE 20006
#define MAX_RESOURCES 64

static char* g_prefix = NULL;
static wrapperTraceLog g_trace = NULL;
static char* g_resources[MAX_RESOURCES];
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct Result {
    DataList list;
    struct Result* next;
} Result;

typedef struct Session {
    char usr_tag[128];
    int mode;
    wrapperCallback cb;
    char* all;          /* everything written so far */
    size_t all_len;
    int chunks;
    Result* queue;      /* sync mode: results not yet read */
    Result* last_read;  /* sync mode: kept until the next Read or Destroy */
} Session;

static const char* param(ParamList* list, const char* key) {
    for (; list != NULL; list = list->next) {
        if (list->key != NULL && strcmp(list->key, key) == 0) {
            return list->value;
        }
    }
    return NULL;
}

static int parse_mode(ParamList* params, int* mode) {
    const char* m = param(params, "mode");
    if (m == NULL || strcmp(m, "upper") == 0) { *mode = 0; return 0; }
    if (strcmp(m, "lower") == 0) { *mode = 1; return 0; }
    if (strcmp(m, "reverse") == 0) { *mode = 2; return 0; }
    return ERR_UNKNOWN_MODE;
}

static void transform(char* text, size_t len, int mode) {
    if (mode == 2) {
        for (size_t i = 0; i < len / 2; i++) {
            char t = text[i];
            text[i] = text[len - 1 - i];
            text[len - 1 - i] = t;
        }
        return;
    }
    for (size_t i = 0; i < len; i++) {
        text[i] = (char)(mode == 0 ? toupper((unsigned char)text[i]) : tolower((unsigned char)text[i]));
    }
}

static Result* make_result(const char* key, const char* data, size_t len, DataStatus status) {
    Result* r = calloc(1, sizeof(Result));
    char* copy = malloc(len + 1);
    char* key_copy = strdup(key);
    if (r == NULL || copy == NULL || key_copy == NULL) {
        free(r); free(copy); free(key_copy);
        return NULL;
    }
    memcpy(copy, data, len);
    copy[len] = '\0';
    r->list.key = key_copy;
    r->list.data = copy;
    r->list.len = (unsigned int)len;
    r->list.type = WRAPPER_DATA_TEXT;
    r->list.status = status;
    return r;
}

static void free_result(Result* r) {
    if (r != NULL) {
        free(r->list.key);
        free(r->list.data);
        free(r);
    }
}

WRAPPER_API int wrapperSetCtrl(CtrlType type, void* func) {
    if (type == WRAPPER_CTRL_TRACE_LOG) {
        g_trace = (wrapperTraceLog)func;
    }
    return 0;
}

WRAPPER_API int wrapperInit(ParamList* cfg) {
    const char* fail = param(cfg, "fail_init");
    if (fail != NULL && strcmp(fail, "1") == 0) {
        return ERR_INIT;
    }
    const char* prefix = param(cfg, "prefix");
    free(g_prefix);
    g_prefix = strdup(prefix != NULL ? prefix : "");
    return g_prefix == NULL ? ERR_NO_MEMORY : 0;
}

WRAPPER_API int wrapperFini(void) {
    free(g_prefix);
    g_prefix = NULL;
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < MAX_RESOURCES; i++) {
        free(g_resources[i]);
        g_resources[i] = NULL;
    }
    pthread_mutex_unlock(&g_lock);
    return 0;
}

WRAPPER_API const char* wrapperError(int errNum) {
    switch (errNum) {
        case ERR_INIT: return "SAMPLE_ERROR_INIT: initialisation refused (fail_init=1)";
        case ERR_EMPTY_TEXT: return "SAMPLE_ERROR_EMPTY_TEXT: the text segment is missing or empty";
        case ERR_BAD_HANDLE: return "SAMPLE_ERROR_BAD_HANDLE: no such session";
        case ERR_UNKNOWN_MODE: return "SAMPLE_ERROR_UNKNOWN_MODE: mode must be upper, lower or reverse";
        case ERR_NO_MEMORY: return "SAMPLE_ERROR_NO_MEMORY";
        case ERR_NO_RESOURCE: return "SAMPLE_ERROR_NO_RESOURCE: a personalization resource id is not loaded";
        default: return "SAMPLE_ERROR_UNKNOWN";
    }
}

WRAPPER_API const char* wrapperVersion(void) {
    return "text_wrapper 1.0.0";
}

WRAPPER_API int wrapperLoadRes(DataList* perData, unsigned int resId) {
    if (resId >= MAX_RESOURCES || perData == NULL || perData->data == NULL) {
        return ERR_NO_RESOURCE;
    }
    char* text = malloc(perData->len + 1);
    if (text == NULL) {
        return ERR_NO_MEMORY;
    }
    memcpy(text, perData->data, perData->len);
    text[perData->len] = '\0';
    pthread_mutex_lock(&g_lock);
    free(g_resources[resId]);
    g_resources[resId] = text;
    pthread_mutex_unlock(&g_lock);
    return 0;
}

WRAPPER_API int wrapperUnloadRes(unsigned int resId) {
    if (resId >= MAX_RESOURCES) {
        return ERR_NO_RESOURCE;
    }
    pthread_mutex_lock(&g_lock);
    free(g_resources[resId]);
    g_resources[resId] = NULL;
    pthread_mutex_unlock(&g_lock);
    return 0;
}

/* prefix + transform(text) + resources, in one malloc'ed result named "result". */
static int one_shot(ParamList* params, DataList* reqData, unsigned int psrIds[], int psrCnt, Result** out) {
    int mode;
    int err = parse_mode(params, &mode);
    if (err != 0) {
        return err;
    }
    DataList* text = reqData;
    while (text != NULL && (text->key == NULL || strcmp(text->key, "text") != 0)) {
        text = text->next;
    }
    if (text == NULL || text->len == 0 || text->data == NULL) {
        return ERR_EMPTY_TEXT;
    }
    size_t prefix_len = strlen(g_prefix != NULL ? g_prefix : "");
    size_t total = prefix_len + text->len;
    pthread_mutex_lock(&g_lock);
    for (int i = 0; i < psrCnt; i++) {
        if (psrIds[i] >= MAX_RESOURCES || g_resources[psrIds[i]] == NULL) {
            pthread_mutex_unlock(&g_lock);
            return ERR_NO_RESOURCE;
        }
        total += strlen(g_resources[psrIds[i]]);
    }
    char* buffer = malloc(total + 1);
    if (buffer == NULL) {
        pthread_mutex_unlock(&g_lock);
        return ERR_NO_MEMORY;
    }
    memcpy(buffer, g_prefix != NULL ? g_prefix : "", prefix_len);
    memcpy(buffer + prefix_len, text->data, text->len);
    transform(buffer + prefix_len, text->len, mode);
    size_t at = prefix_len + text->len;
    for (int i = 0; i < psrCnt; i++) {
        size_t n = strlen(g_resources[psrIds[i]]);
        memcpy(buffer + at, g_resources[psrIds[i]], n);
        at += n;
    }
    pthread_mutex_unlock(&g_lock);
    *out = make_result("result", buffer, total, WRAPPER_STATUS_ONCE);
    free(buffer);
    return *out == NULL ? ERR_NO_MEMORY : 0;
}

WRAPPER_API int wrapperExec(const char* usrTag, ParamList* params, DataList* reqData, DataList** respData,
                            unsigned int psrIds[], int psrCnt) {
    Result* r = NULL;
    int err = one_shot(params, reqData, psrIds, psrCnt, &r);
    if (g_trace != NULL) {
        g_trace(usrTag, "exec", err == 0 ? "ok" : "error");
    }
    *respData = err == 0 ? &r->list : NULL;
    return err;
}

WRAPPER_API int wrapperExecFree(const char* usrTag, DataList** respData) {
    (void)usrTag;
    if (respData != NULL && *respData != NULL) {
        /* list is the first member of Result, so the DataList pointer is the Result's. */
        free_result((Result*)*respData);
        *respData = NULL;
    }
    return 0;
}

typedef struct AsyncCall {
    char usr_tag[128];
    wrapperCallback cb;
    Result* result;
    int err;
} AsyncCall;

static void* async_main(void* arg) {
    AsyncCall* call = arg;
    call->cb(call->usr_tag, call->result != NULL ? &call->result->list : NULL, call->err);
    free_result(call->result);
    free(call);
    return NULL;
}

WRAPPER_API int wrapperExecAsync(const char* usrTag, ParamList* params, DataList* reqData, wrapperCallback cb,
                                 int timeoutMs, unsigned int psrIds[], int psrCnt) {
    (void)timeoutMs;
    if (cb == NULL) {
        return ERR_BAD_HANDLE;
    }
    AsyncCall* call = calloc(1, sizeof(AsyncCall));
    if (call == NULL) {
        return ERR_NO_MEMORY;
    }
    strncpy(call->usr_tag, usrTag != NULL ? usrTag : "", sizeof(call->usr_tag) - 1);
    call->cb = cb;
    call->err = one_shot(params, reqData, psrIds, psrCnt, &call->result);
    pthread_t thread;
    if (pthread_create(&thread, NULL, async_main, call) != 0) {
        free_result(call->result);
        free(call);
        return ERR_NO_MEMORY;
    }
    pthread_detach(thread);
    return 0;
}

WRAPPER_API const void* wrapperCreate(const char* usrTag, ParamList* params, wrapperCallback cb,
                                      unsigned int psrIds[], int psrCnt, int* errNum) {
    (void)psrIds;
    (void)psrCnt;
    Session* s = calloc(1, sizeof(Session));
    if (s == NULL) {
        *errNum = ERR_NO_MEMORY;
        return NULL;
    }
    *errNum = parse_mode(params, &s->mode);
    if (*errNum != 0) {
        free(s);
        return NULL;
    }
    strncpy(s->usr_tag, usrTag != NULL ? usrTag : "", sizeof(s->usr_tag) - 1);
    s->cb = cb;
    return s;
}

static void deliver(Session* s, Result* r) {
    if (s->cb != NULL) {
        s->cb(s->usr_tag, &r->list, 0);
        free_result(r);
        return;
    }
    Result** tail = &s->queue;
    while (*tail != NULL) {
        tail = &(*tail)->next;
    }
    *tail = r;
}

WRAPPER_API int wrapperWrite(const void* handle, DataList* reqData) {
    Session* s = (Session*)handle;
    if (s == NULL) {
        return ERR_BAD_HANDLE;
    }
    for (DataList* d = reqData; d != NULL; d = d->next) {
        if (d->len > 0) {
            char* grown = realloc(s->all, s->all_len + d->len + 1);
            if (grown == NULL) {
                return ERR_NO_MEMORY;
            }
            s->all = grown;
            memcpy(s->all + s->all_len, d->data, d->len);
            if (s->mode != 2) {
                /* upper/lower work chunk by chunk; reverse only makes sense on the whole text (at End) */
                transform(s->all + s->all_len, d->len, s->mode);
            }
            Result* partial = make_result("result", s->all + s->all_len, d->len,
                                          s->chunks == 0 ? WRAPPER_STATUS_BEGIN : WRAPPER_STATUS_CONTINUE);
            s->all_len += d->len;
            s->chunks++;
            if (partial == NULL) {
                return ERR_NO_MEMORY;
            }
            deliver(s, partial);
        }
        if (d->status == WRAPPER_STATUS_END || d->status == WRAPPER_STATUS_ONCE) {
            char* final_text = malloc(s->all_len + 1);
            if (final_text == NULL) {
                return ERR_NO_MEMORY;
            }
            memcpy(final_text, s->all != NULL ? s->all : "", s->all_len);
            if (s->mode == 2) {
                transform(final_text, s->all_len, 2);
            }
            Result* last = make_result("result", final_text, s->all_len, WRAPPER_STATUS_END);
            free(final_text);
            if (last == NULL) {
                return ERR_NO_MEMORY;
            }
            deliver(s, last);
        }
    }
    return 0;
}

WRAPPER_API int wrapperRead(const void* handle, DataList** respData) {
    Session* s = (Session*)handle;
    if (s == NULL) {
        return ERR_BAD_HANDLE;
    }
    free_result(s->last_read);
    s->last_read = s->queue;
    if (s->queue != NULL) {
        s->queue = s->queue->next;
        s->last_read->next = NULL;
    }
    *respData = s->last_read != NULL ? &s->last_read->list : NULL;
    return 0;
}

WRAPPER_API const char* wrapperDebugInfo(const void* handle) {
    return handle != NULL ? "text_wrapper session" : "text_wrapper";
}

WRAPPER_API int wrapperDestroy(const void* handle) {
    Session* s = (Session*)handle;
    if (s == NULL) {
        return ERR_BAD_HANDLE;
    }
    while (s->queue != NULL) {
        Result* next = s->queue->next;
        free_result(s->queue);
        s->queue = next;
    }
    free_result(s->last_read);
    free(s->all);
    free(s);
    return 0;
}
