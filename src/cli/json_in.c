#define _POSIX_C_SOURCE 200809L
#include "json_in.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse(const char *line, size_t len, char **id, char **text, size_t *text_len, char *msg, size_t msgsz);

/* Does the string value of the top-level key `key` (4 letters or fewer)
 * hold the escape \u0000? The line is known to be one valid JSON object. */
static int has_nul_escape(const char *s, size_t len, const char *key)
{
    size_t kl = strlen(key);
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
                    key_is_text = i - str_start == kl && memcmp(s + str_start, key, kl) == 0;
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

static int hex4(const char *p, const char *e, unsigned *v)
{
    *v = 0;
    for (int k = 0; k < 4; k++, p++) {
        if (p >= e)
            return -1;
        char c = *p;
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
        if (d > 15)
            return -1;
        *v = *v << 4 | d;
    }
    return 0;
}

/* A copy of line with each lone surrogate escape (\uD800 without its
 * \uDC00 pair, or the other way round) as \uFFFD, or NULL when there is
 * none: cJSON refuses the whole object for one, and the id was lost with
 * it (Python's json.dumps writes them for surrogate-escaped names). */
static char *fix_lone_surrogates(const char *line, size_t len)
{
    char *out = NULL;
    const char *e = line + len;
    for (const char *p = line; p < e; p++) {
        if (*p != '\\')
            continue;
        if (p + 1 < e && p[1] != 'u') {
            p++;
            continue;
        }
        unsigned v, w;
        if (hex4(p + 2, e, &v) || v < 0xD800 || v > 0xDFFF) {
            p += 1;
            continue;
        }
        int paired = v <= 0xDBFF && p + 11 < e + 0 && p[6] == '\\' && p[7] == 'u' && hex4(p + 8, e, &w) == 0 &&
                     w >= 0xDC00 && w <= 0xDFFF;
        if (paired) {
            p += 11;
            continue;
        }
        if (!out && !(out = malloc(len + 1)))
            return NULL;
        if (out == NULL)
            return NULL;
        memcpy(out, line, len); /* copied once, patched in place below */
        out[len] = 0;
        break;
    }
    if (!out)
        return NULL;
    for (char *p = out, *oe = out + len; p < oe; p++) {
        if (*p != '\\')
            continue;
        if (p + 1 < oe && p[1] != 'u') {
            p++;
            continue;
        }
        unsigned v, w;
        if (hex4(p + 2, oe, &v) || v < 0xD800 || v > 0xDFFF) {
            p += 1;
            continue;
        }
        if (v <= 0xDBFF && p + 11 < oe && p[6] == '\\' && p[7] == 'u' && hex4(p + 8, oe, &w) == 0 && w >= 0xDC00 &&
            w <= 0xDFFF) {
            p += 11;
            continue;
        }
        memcpy(p + 2, "FFFD", 4);
        p += 5;
    }
    return out;
}

int zm_jsonl_parse(const char *line, size_t len, char **id, char **text, size_t *text_len, char *msg, size_t msgsz)
{
    *id = *text = NULL;
    char *fixed = fix_lone_surrogates(line, len);
    if (fixed)
        line = fixed;
    int rc = parse(line, len, id, text, text_len, msg, msgsz);
    free(fixed);
    return rc;
}

static int parse(const char *line, size_t len, char **id, char **text, size_t *text_len, char *msg, size_t msgsz)
{
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
    if (cJSON_IsString(jid) && has_nul_escape(line, len, "id")) {
        /* cut at the NUL it would merge with another id: refused */
        snprintf(msg, msgsz, "bad JSON Lines input: \"id\" contains a NUL character");
        cJSON_Delete(o);
        return -1;
    } else if (cJSON_IsString(jid)) {
        *id = strdup(jid->valuestring);
    } else if (cJSON_IsNumber(jid)) {
        snprintf(buf, sizeof buf, "%.17g", jid->valuedouble);
        *id = strdup(buf);
    }
    /* cJSON strings end at \u0000: refuse rather than silently cut the text */
    if (has_nul_escape(line, len, "text")) {
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
        snprintf(msg, msgsz, "limit: out of memory reading the line");
        return -1;
    }
    return 0;
}
