#define _POSIX_C_SOURCE 200809L
#include "json_in.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does the string value of the top-level key "text" hold the escape
 * \u0000? The line is known to be one valid JSON object. */
static int text_has_nul_escape(const char *s, size_t len)
{
    int depth = 0, in_str = 0, key_is_text = 0, want_value = 0, in_text = 0;
    size_t str_start = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (in_str) {
            if (ch == '\\') {
                if (in_text && i + 5 < len && memcmp(s + i + 1, "u0000", 5) == 0)
                    return 1;
                i++; /* the escaped character */
            } else if (ch == '"') {
                in_str = 0;
                if (!in_text && depth == 1 && !want_value)
                    key_is_text = i - str_start == 4 && memcmp(s + str_start, "text", 4) == 0;
                in_text = 0;
            }
            continue;
        }
        switch (ch) {
        case '"':
            in_str = 1;
            str_start = i + 1;
            in_text = depth == 1 && want_value && key_is_text;
            break;
        case ':':
            want_value = depth == 1;
            break;
        case ',':
            want_value = 0;
            key_is_text = 0;
            break;
        case '{':
        case '[':
            depth++;
            break;
        case '}':
        case ']':
            depth--;
            break;
        default:
            break;
        }
    }
    return 0;
}

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
    if (text_has_nul_escape(line, len)) {
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
