#define _GNU_SOURCE
#include "json_in.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int zm_jsonl_parse(const char *line, size_t len, char **id, char **text, size_t *text_len, char *msg, size_t msgsz)
{
    *id = *text = NULL;
    const char *endp = NULL;
    cJSON *o = cJSON_ParseWithLengthOpts(line, len, &endp, 0);
    while (o && endp && endp < line + len && (*endp == ' ' || *endp == '\t' || *endp == '\r'))
        endp++;
    if (o && endp && endp < line + len) {
        snprintf(msg, msgsz, "bad JSON Lines input: text after the object");
        cJSON_Delete(o);
        return -1;
    }
    if (!o || !cJSON_IsObject(o)) {
        snprintf(msg, msgsz, "bad JSON Lines input: not a JSON object");
        cJSON_Delete(o);
        return -1;
    }
    const cJSON *jid = cJSON_GetObjectItemCaseSensitive(o, "id");
    const cJSON *jt = cJSON_GetObjectItemCaseSensitive(o, "text");
    char buf[64];
    if (cJSON_IsString(jid)) {
        *id = strdup(jid->valuestring);
    } else if (cJSON_IsNumber(jid)) {
        snprintf(buf, sizeof buf, "%.17g", jid->valuedouble);
        *id = strdup(buf);
    }
    /* cJSON strings end at \u0000: refuse rather than silently cut the text */
    if (memmem(line, len, "\\u0000", 6)) {
        snprintf(msg, msgsz, "bad JSON Lines input: \"text\" contains a NUL character");
        cJSON_Delete(o);
        return -1;
    }
    if (!cJSON_IsString(jt)) {
        snprintf(msg, msgsz, "bad JSON Lines input: no string \"text\"");
        cJSON_Delete(o);
        return -1;
    }
    *text_len = strlen(jt->valuestring);
    *text = malloc(*text_len + 1);
    if (*text)
        memcpy(*text, jt->valuestring, *text_len + 1);
    cJSON_Delete(o);
    if (!*text) {
        snprintf(msg, msgsz, "out of memory");
        return -1;
    }
    return 0;
}
