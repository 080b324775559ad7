#define _POSIX_C_SOURCE 200809L
#include "json_in.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int zm_jsonl_parse(const char *line, size_t len, char **id, char **text, size_t *text_len, char *msg, size_t msgsz)
{
    *id = *text = NULL;
    cJSON *o = cJSON_ParseWithLength(line, len);
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
