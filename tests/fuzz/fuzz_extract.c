/* Fuzz target: whole-document extraction and serialisation, as the CLI
 * runs it: zm_extract on the raw bytes, then zm_doc_append (JSON Lines,
 * and the pretty JSON format).
 * The model is loaded once (dict/, general_lexicon "" for speed); one
 * zm_ctx is reused across inputs, as a worker thread reuses it.
 * Checks (SPEC.md §1, §2):
 *   - exactly one document or error record, first, then its metric lines;
 *     every line is a complete JSON object; "metrics" = metric lines;
 *   - rc and zm_doc_error agree; an error record names the document;
 *   - each metric's span lies in the decoded text, text is exactly the
 *     bytes of span, line is the 1-based line of span[0];
 *   - time and period are real dates with from <= to; value is a decimal
 *     (with its sign); an amount, and only an amount, has a currency.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_common.h"

#include <cjson/cJSON.h>

#include "decode.h"
#include "util.h"
#include "utf8.h"

static zm_model *model;
static zm_ctx *ctx;
static zm_buf text;
static char *out;
static size_t out_cap;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    model = fuzz_load_model(0);
    ctx = zm_ctx_new(model);
    if (!ctx)
        abort();
    return 0;
}

static int is_date(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m >= 1 && m <= 12 && d >= 1 && d <= dim[m - 1] + (m == 2 && leap);
}

static void check_range(const zm_date_range *r, const char *what)
{
    if (!r)
        return;
    FUZZ_CHECK(is_date(r->from) && is_date(r->to), "%s: '%s'..'%s' not dates", what, r->from, r->to);
    FUZZ_CHECK(strcmp(r->from, "1900") >= 0 && strcmp(r->to, "2201") < 0, "%s: %s..%s (text '%s') outside 1900-2200",
               what, r->from, r->to, r->text ? r->text : "(null)");
    FUZZ_CHECK(strcmp(r->from, r->to) <= 0, "%s: %s..%s ends before it starts (text '%s')", what, r->from, r->to,
               r->text ? r->text : "(null)");
}

static int is_decimal(const char *s)
{
    int dots = 0, digits = 0;
    for (; *s; s++) {
        if (*s == '.')
            dots++;
        else if (*s >= '0' && *s <= '9')
            digits++;
        else
            return 0;
    }
    return digits > 0 && dots <= 1;
}

/* Line of byte offset `at` in the decoded text: \n, \r\n and a lone \r
 * each end a line. */
static int line_of(const char *t, size_t at)
{
    int line = 1;
    for (size_t i = 0; i < at; i++)
        if (t[i] == '\n' || (t[i] == '\r' && t[i + 1] != '\n'))
            line++;
    return line;
}

static void check_lines(const char *buf, size_t len, size_t nmetrics, int is_error)
{
    FUZZ_CHECK(len > 0 && buf[len - 1] == '\n', "output does not end with a newline");
    size_t lines = 0, metric_lines = 0;
    for (const char *p = buf; p < buf + len;) {
        const char *nl = memchr(p, '\n', (size_t)(buf + len - p));
        FUZZ_CHECK(nl, "unterminated line");
        cJSON *o = cJSON_ParseWithLength(p, (size_t)(nl - p));
        FUZZ_CHECK(o && cJSON_IsObject(o), "line %zu is not a JSON object: %.200s", lines + 1, p);
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(o, "type");
        FUZZ_CHECK(cJSON_IsString(type), "line %zu has no type", lines + 1);
        const cJSON *doc = cJSON_GetObjectItemCaseSensitive(o, "doc");
        FUZZ_CHECK(cJSON_IsString(doc) && strcmp(doc->valuestring, "fuzz.txt") == 0, "line %zu: doc", lines + 1);
        if (lines == 0) {
            FUZZ_CHECK(strcmp(type->valuestring, is_error ? "error" : "document") == 0, "first record is '%s'",
                       type->valuestring);
            if (is_error) {
                const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
                FUZZ_CHECK(cJSON_IsString(e) && *e->valuestring, "error record without a message");
            } else {
                const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, "metrics");
                FUZZ_CHECK(cJSON_IsNumber(n) && (size_t)n->valuedouble == nmetrics, "\"metrics\" != %zu", nmetrics);
            }
        } else {
            FUZZ_CHECK(strcmp(type->valuestring, "metric") == 0, "line %zu is a '%s' record", lines + 1,
                       type->valuestring);
            metric_lines++;
        }
        cJSON_Delete(o);
        lines++;
        p = nl + 1;
    }
    FUZZ_CHECK(metric_lines == nmetrics, "%zu metric lines, %zu metrics", metric_lines, nmetrics);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zm_doc_options opt = {NULL, 0, (int)(size % 5 == 0)}; /* --explain on some inputs */
    zm_doc *d = NULL;
    zm_error err;
    memset(&err, 0, sizeof err);
    int rc = zm_extract(ctx, "fuzz.txt", (const char *)data, size, &opt, &d, &err);
    FUZZ_CHECK(d != NULL, "zm_extract rc %d gave no document", rc);
    const char *e = zm_doc_error(d);
    FUZZ_CHECK((rc == 0) == (e == NULL), "rc %d but error '%s'", rc, e ? e : "(none)");
    FUZZ_CHECK(strcmp(zm_doc_name(d), "fuzz.txt") == 0, "document name changed");
    size_t n = zm_doc_metric_count(d);
    if (rc == 0) {
        /* the spans point into the reader's text for a page, .docx or PDF
         * (its kind is read from the content, whatever the name), else
         * into the decoded bytes */
        size_t tl = 0;
        const char *t = zm_doc_text(d, &tl);
        const char *fmt = zm_doc_format(d);
        FUZZ_CHECK(fmt && (t != NULL) == (strcmp(fmt, "text") != 0), "format %s, reader text %s", fmt ? fmt : "(null)",
                   t ? "given" : "none");
        if (!t) {
            const char *enc;
            char msg[256];
            int drc = zm_decode((const char *)data, size, &text, &enc, msg, sizeof msg);
            FUZZ_CHECK(drc == 0, "extracted, but the input does not decode: %s", msg);
            FUZZ_CHECK(strcmp(zm_doc_encoding(d), enc) == 0, "encoding %s, decoded as %s", zm_doc_encoding(d), enc);
            t = text.data, tl = text.len;
        }
        FUZZ_CHECK(zm_doc_bytes(d) == tl, "bytes %zu, text %zu", zm_doc_bytes(d), tl);
        check_range(zm_doc_period(d), "period");
        for (size_t i = 0; i < n; i++) {
            const zm_metric *m = zm_doc_metric(d, i);
            FUZZ_CHECK(m->span[0] < m->span[1] && m->span[1] <= tl, "metric %zu: span [%zu,%zu) of %zu", i,
                       m->span[0], m->span[1], tl);
            size_t sl = m->span[1] - m->span[0];
            FUZZ_CHECK(m->text && strlen(m->text) == sl && memcmp(m->text, t + m->span[0], sl) == 0,
                       "metric %zu: text '%s' is not the bytes of span [%zu,%zu) '%.*s'", i, m->text ? m->text : "",
                       m->span[0], m->span[1], (int)sl, t + m->span[0]);
            int want = line_of(t, m->span[0]);
            FUZZ_CHECK(m->line == want, "metric %zu '%s': line %d, span starts on line %d", i, m->text, m->line, want);
            FUZZ_CHECK(m->kind && m->status && m->unit && m->qualifier && m->sentence, "metric %zu: missing field", i);
            /* a sign as written is kept (SPEC 6) */
            FUZZ_CHECK(m->value && is_decimal(m->value + (m->value[0] == '-')), "metric %zu: value '%s'", i,
                       m->value ? m->value : "");
            FUZZ_CHECK((strcmp(m->kind, "amount") == 0) == (m->currency != NULL) &&
                           (!m->currency || strlen(m->currency) == 3),
                       "metric %zu: %s with currency '%s'", i, m->kind, m->currency ? m->currency : "null");
            FUZZ_CHECK(!m->value_max || is_decimal(m->value_max), "metric %zu: value_max '%s'", i, m->value_max);
            FUZZ_CHECK(zm_utf8_check(m->sentence, strlen(m->sentence)) == strlen(m->sentence),
                       "metric %zu: sentence not UTF-8", i);
            FUZZ_CHECK(strstr(m->sentence, m->text) != NULL || strchr(m->text, '\n') || strchr(m->text, '\r'),
                       "metric %zu: sentence '%s' does not hold '%s'", i, m->sentence, m->text);
            check_range(m->time, "metric time");
            for (size_t k = 0; k < m->section_len; k++)
                FUZZ_CHECK(m->section[k] != NULL, "metric %zu: NULL section %zu", i, k);
        }
    } else {
        FUZZ_CHECK(n == 0, "error record with %zu metrics", n);
    }
    size_t len = 0;
    int arc = zm_doc_append(d, ZM_FORMAT_JSONL, &out, &len, &out_cap);
    FUZZ_CHECK(arc == 0, "zm_doc_append rc %d", arc);
    check_lines(out, len, n, rc != 0);
    len = 0;
    arc = zm_doc_append(d, ZM_FORMAT_JSON, &out, &len, &out_cap);
    FUZZ_CHECK(arc == 0, "zm_doc_append (json) rc %d", arc);
    cJSON *o = cJSON_ParseWithLength(out, len);
    FUZZ_CHECK(o != NULL, "--format json output does not parse");
    cJSON_Delete(o);
    zm_doc_free(d);
    return 0;
}
