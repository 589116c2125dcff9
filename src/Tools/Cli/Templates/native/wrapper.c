/*
 * __SERVICE__: a native decoder plugin with the ASE loader's C ABI (include/aiges_wrapper.h).
 * One-shot: wrapperExec reads the segment "text" and returns "result", the text upper-cased, repeated
 * `repeat` times. Streaming: every chunk written to a session is upper-cased and queued for wrapperRead.
 * Results are malloc'ed here and freed by wrapperExecFree / the next wrapperRead / wrapperDestroy.
 */
#include "aiges_wrapper.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define ERR_EMPTY_TEXT 20001
#define ERR_NO_MEMORY 20002

typedef struct Result {
    DataList list; /* first member: a DataList* handed out is the Result* */
    struct Result* next;
} Result;

typedef struct Session {
    Result* queue;
    Result* last_read;
} Session;

static const char* param(ParamList* list, const char* key) {
    for (; list != NULL; list = list->next) {
        if (list->key != NULL && strcmp(list->key, key) == 0) {
            return list->value;
        }
    }
    return NULL;
}

static Result* make_result(const char* data, size_t len, int repeat, DataStatus status) {
    Result* r = calloc(1, sizeof(Result));
    char* text = malloc(len * (size_t)repeat + 1);
    char* key = strdup("result");
    if (r == NULL || text == NULL || key == NULL) {
        free(r); free(text); free(key);
        return NULL;
    }
    for (int k = 0; k < repeat; k++) {
        for (size_t i = 0; i < len; i++) {
            text[k * len + i] = (char)toupper((unsigned char)data[i]);
        }
    }
    text[len * (size_t)repeat] = '\0';
    r->list.key = key;
    r->list.data = text;
    r->list.len = (unsigned int)(len * (size_t)repeat);
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

WRAPPER_API int wrapperInit(ParamList* cfg) {
    (void)cfg; /* the manifest's config.settings arrive here */
    return 0;
}

WRAPPER_API int wrapperFini(void) {
    return 0;
}

WRAPPER_API const char* wrapperError(int errNum) {
    switch (errNum) {
        case ERR_EMPTY_TEXT: return "EMPTY_TEXT: the text segment is missing or empty";
        case ERR_NO_MEMORY: return "NO_MEMORY";
        default: return "UNKNOWN";
    }
}

WRAPPER_API const char* wrapperVersion(void) {
    return "__SERVICE__ 1.0.0";
}

WRAPPER_API int wrapperExec(const char* usrTag, ParamList* params, DataList* reqData, DataList** respData,
                            unsigned int psrIds[], int psrCnt) {
    (void)usrTag; (void)psrIds; (void)psrCnt;
    *respData = NULL;
    DataList* text = reqData;
    while (text != NULL && (text->key == NULL || strcmp(text->key, "text") != 0)) {
        text = text->next;
    }
    if (text == NULL || text->data == NULL || text->len == 0) {
        return ERR_EMPTY_TEXT;
    }
    const char* repeat_text = param(params, "repeat");
    int repeat = repeat_text != NULL ? atoi(repeat_text) : 1;
    Result* r = make_result(text->data, text->len, repeat < 1 ? 1 : repeat, WRAPPER_STATUS_ONCE);
    if (r == NULL) {
        return ERR_NO_MEMORY;
    }
    *respData = &r->list;
    return 0;
}

WRAPPER_API int wrapperExecFree(const char* usrTag, DataList** respData) {
    (void)usrTag;
    if (respData != NULL && *respData != NULL) {
        free_result((Result*)*respData);
        *respData = NULL;
    }
    return 0;
}

WRAPPER_API const void* wrapperCreate(const char* usrTag, ParamList* params, wrapperCallback cb,
                                      unsigned int psrIds[], int psrCnt, int* errNum) {
    (void)usrTag; (void)params; (void)cb; (void)psrIds; (void)psrCnt;
    Session* s = calloc(1, sizeof(Session));
    *errNum = s == NULL ? ERR_NO_MEMORY : 0;
    return s;
}

WRAPPER_API int wrapperWrite(const void* handle, DataList* reqData) {
    Session* s = (Session*)handle;
    for (DataList* d = reqData; d != NULL; d = d->next) {
        Result* r = make_result(d->data != NULL ? d->data : "", d->data != NULL ? d->len : 0, 1, d->status);
        if (r == NULL) {
            return ERR_NO_MEMORY;
        }
        Result** tail = &s->queue;
        while (*tail != NULL) {
            tail = &(*tail)->next;
        }
        *tail = r;
    }
    return 0;
}

WRAPPER_API int wrapperRead(const void* handle, DataList** respData) {
    Session* s = (Session*)handle;
    free_result(s->last_read);
    s->last_read = s->queue;
    if (s->queue != NULL) {
        s->queue = s->queue->next;
        s->last_read->next = NULL;
    }
    *respData = s->last_read != NULL ? &s->last_read->list : NULL;
    return 0;
}

WRAPPER_API int wrapperDestroy(const void* handle) {
    Session* s = (Session*)handle;
    while (s->queue != NULL) {
        Result* next = s->queue->next;
        free_result(s->queue);
        s->queue = next;
    }
    free_result(s->last_read);
    free(s);
    return 0;
}
