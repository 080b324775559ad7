#define _POSIX_C_SOURCE 200809L
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"
#include "util.h"

static const char *const action_names[ZM_ACT_COUNT] = {"ignore", "block", "metric", "time", "heading", "docno", "org", "region"};
static const char *const group_names[ZM_G_COUNT] = {"num", "num2", "unit", "unit1", "infix", "mult", "post",
                                                     "y", "m", "d", "y2", "m2", "d2", "p", "mp"};

int zm_rules_init(zm_rules *r)
{
    memset(r, 0, sizeof *r);
    r->mctx = pcre2_match_context_create(NULL);
    if (!r->mctx)
        return ZM_E_NOMEM;
    /* Bounded work per match even on hostile input. */
    pcre2_set_match_limit(r->mctx, 100000);
    pcre2_set_depth_limit(r->mctx, 1000);
    pcre2_set_heap_limit(r->mctx, 20000);
    return 0;
}

int zm_rules_define(zm_rules *r, const char *name, const char *value)
{
    for (int i = 0; i < r->nmacro; i++) {
        if (strcmp(r->macro[i].name, name) == 0) {
            char *v = strdup(value);
            if (!v)
                return ZM_E_NOMEM;
            free(r->macro[i].value);
            r->macro[i].value = v;
            return 0;
        }
    }
    if (r->nmacro == r->capmacro) {
        int cap = r->capmacro ? r->capmacro * 2 : 16;
        zm_macro *m = realloc(r->macro, (size_t)cap * sizeof *m);
        if (!m)
            return ZM_E_NOMEM;
        r->macro = m;
        r->capmacro = cap;
    }
    r->macro[r->nmacro].name = strdup(name);
    r->macro[r->nmacro].value = strdup(value);
    if (!r->macro[r->nmacro].name || !r->macro[r->nmacro].value)
        return ZM_E_NOMEM;
    r->nmacro++;
    return 0;
}

/* Expands {NAME} (upper-case names only, so {1,3} stays a quantifier). */
static int expand(const zm_rules *r, const char *pat, zm_buf *out, char *bad, size_t badsz)
{
    out->len = 0;
    if (out->data)
        out->data[0] = 0; /* an empty pattern is the empty string, not the last one */
    for (const char *p = pat; *p;) {
        if (*p == '{' && p[1] >= 'A' && p[1] <= 'Z') {
            const char *q = p + 1;
            while ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_')
                q++;
            if (*q == '}') {
                size_t n = (size_t)(q - p - 1);
                int found = 0;
                for (int i = 0; i < r->nmacro; i++) {
                    if (strlen(r->macro[i].name) == n && memcmp(r->macro[i].name, p + 1, n) == 0) {
                        if (zm_buf_adds(out, "(?:") || zm_buf_adds(out, r->macro[i].value) ||
                            zm_buf_adds(out, ")"))
                            return ZM_E_NOMEM;
                        found = 1;
                        break;
                    }
                }
                if (!found) {
                    snprintf(bad, badsz, "%.*s", (int)n, p + 1);
                    return ZM_E_DATA;
                }
                p = q + 1;
                continue;
            }
        }
        if (zm_buf_addc(out, *p++))
            return ZM_E_NOMEM;
    }
    if (!out->data && zm_buf_reserve(out, 0))
        return ZM_E_NOMEM;
    return 0;
}

static void combined_free(zm_combined *cb);

/* The bytes a match of re can start with, from what PCRE2 worked out at
 * compile time; every byte when it could not tell. */
static void start_bytes(const pcre2_code *re, uint8_t first[32])
{
    uint32_t type = 0, unit = 0;
    const uint8_t *bitmap = NULL;
    pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type);
    pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT, &unit);
    pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &bitmap);
    if (type == 1 && unit < 256) {
        memset(first, 0, 32);
        first[unit >> 3] |= (uint8_t)(1u << (unit & 7));
    } else if (type == 0 && bitmap) {
        memcpy(first, bitmap, 32);
    } else {
        memset(first, 0xFF, 32);
    }
}

int zm_rules_load(zm_rules *r, const char *path, zm_error *err)
{
    zm_tsv in;
    int rc = zm_tsv_open(&in, path, err);
    if (rc)
        return rc;
    zm_buf pat = {0};
    while (zm_tsv_next(&in)) {
        if ((rc = zm_tsv_utf8_error(&in, err)))
            break;
        if (in.nf != 4) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno,
                              "expected 4 tab-separated columns (id action kind pattern), got %d", in.nf);
            break;
        }
        if (!*in.f[3]) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "empty pattern");
            break;
        }
        int act = -1, define = strcmp(in.f[1], "define") == 0;
        for (int a = 0; a < ZM_ACT_COUNT; a++)
            if (strcmp(in.f[1], action_names[a]) == 0)
                act = a;
        if (act < 0 && !define) {
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "unknown action '%s'", in.f[1]);
            break;
        }
        char bad[64];
        int e = expand(r, in.f[3], &pat, bad, sizeof bad);
        if (e) {
            rc = e == ZM_E_DATA ? zm_set_error(err, e, path, in.lineno, "unknown macro {%s}", bad)
                                : zm_set_error(err, e, path, in.lineno, "out of memory");
            break;
        }
        if (define) {
            if (zm_rules_define(r, in.f[2], pat.data)) {
                rc = zm_set_error(err, ZM_E_NOMEM, path, in.lineno, "out of memory");
                break;
            }
            continue;
        }
        int ec;
        PCRE2_SIZE eo;
        /* rules tried at a known position are compiled anchored: JIT does not
         * support PCRE2_ANCHORED at match time */
        uint32_t opts = PCRE2_UTF | PCRE2_UCP;
        if (act == ZM_ACT_BLOCK || act == ZM_ACT_METRIC || act == ZM_ACT_HEADING || act == ZM_ACT_REGION ||
            act == ZM_ACT_TIME || act == ZM_ACT_ORG || act == ZM_ACT_DOCNO)
            opts |= PCRE2_ANCHORED;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat.data, pat.len, opts, &ec, &eo, NULL);
        if (!re) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(ec, msg, sizeof msg);
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "bad regex in rule '%s': %s at offset %zu",
                              in.f[0], (char *)msg, (size_t)eo);
            break;
        }
        pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* falls back to the interpreter if JIT is unavailable */
        if (r->n == r->cap) {
            int cap = r->cap ? r->cap * 2 : 32;
            zm_rule *nr = realloc(r->rule, (size_t)cap * sizeof *nr);
            if (!nr) {
                pcre2_code_free(re);
                rc = zm_set_error(err, ZM_E_NOMEM, path, in.lineno, "out of memory");
                break;
            }
            r->rule = nr;
            r->cap = cap;
        }
        if (r->nby[act] == 256) {
            pcre2_code_free(re);
            rc = zm_set_error(err, ZM_E_DATA, path, in.lineno, "too many %s rules (max 256)", in.f[1]);
            break;
        }
        /* the kind column: "-", or a kind for a metric rule */
        int kind = -1;
        if (strcmp(in.f[2], "-") != 0) {
            kind = zm_kind_parse(in.f[2]);
            if (act != ZM_ACT_METRIC || kind < 0) {
                pcre2_code_free(re);
                rc = act != ZM_ACT_METRIC
                         ? zm_set_error(err, ZM_E_DATA, path, in.lineno, "a %s rule takes no kind ('%s'): '-'", in.f[1], in.f[2])
                         : zm_set_error(err, ZM_E_DATA, path, in.lineno,
                                        "unknown kind '%s' (amount, count, ratio, measure, duration or -)", in.f[2]);
                break;
            }
        }
        zm_rule *ru = &r->rule[r->n];
        memset(ru, 0, sizeof *ru);
        start_bytes(re, ru->first);
        ru->id = strdup(in.f[0]);
        ru->action = act;
        ru->kind = kind;
        ru->file = strdup(path);
        ru->line = in.lineno;
        ru->re = re;
        ru->pattern = strdup(pat.data);
        for (int g = 0; g < ZM_G_COUNT; g++) {
            int n = pcre2_substring_number_from_name(re, (PCRE2_SPTR)group_names[g]);
            ru->group[g] = n > 0 ? n : -1;
        }
        r->by_action[act][r->nby[act]++] = r->n;
        r->n++;
    }
    zm_buf_free(&pat);
    zm_tsv_close(&in);
    return rc;
}

int zm_rules_max_groups(const zm_rules *r)
{
    uint32_t mx = 1;
    for (int i = 0; i < r->n; i++) {
        uint32_t c = 0;
        pcre2_pattern_info(r->rule[i].re, PCRE2_INFO_CAPTURECOUNT, &c);
        if (c + 1 > mx)
            mx = c + 1;
    }
    return (int)mx;
}

void zm_rules_free(zm_rules *r)
{
    for (int i = 0; i < r->n; i++) {
        free(r->rule[i].id);
        free(r->rule[i].file);
        free(r->rule[i].pattern);
        pcre2_code_free(r->rule[i].re);
    }
    free(r->rule);
    for (int i = 0; i < r->nmacro; i++) {
        free(r->macro[i].name);
        free(r->macro[i].value);
    }
    free(r->macro);
    combined_free(&r->blocks);
    combined_free(&r->times);
    combined_free(&r->headings);
    pcre2_match_context_free(r->mctx);
    memset(r, 0, sizeof *r);
}

static void combined_free(zm_combined *cb)
{
    for (int i = 0; i < cb->ncode; i++)
        pcre2_code_free(cb->code[i]);
    free(cb->code);
    memset(cb, 0, sizeof *cb);
}

/* The rules at positions `set` (bits over by_action[act]) as one anchored
 * alternation; (*MARK:i) names the rule (index i) that matched. */
static int compile_set(zm_rules *r, int act, const uint64_t set[4], pcre2_code **out, zm_error *err)
{
    zm_buf b = {0};
    int rc = zm_buf_adds(&b, "(?:"), any = 0;
    for (int k = 0; k < r->nby[act] && !rc; k++) {
        if (!(set[k >> 6] >> (k & 63) & 1))
            continue;
        char mark[32];
        snprintf(mark, sizeof mark, "%s(*MARK:%d)(?:", any++ ? "|" : "", r->by_action[act][k]);
        rc = zm_buf_adds(&b, mark) || zm_buf_adds(&b, r->rule[r->by_action[act][k]].pattern) || zm_buf_adds(&b, ")");
    }
    rc = rc || zm_buf_adds(&b, ")");
    if (rc) {
        zm_buf_free(&b);
        return zm_set_error(err, ZM_E_NOMEM, NULL, 0, "out of memory");
    }
    int ec;
    PCRE2_SIZE eo;
    *out = pcre2_compile((PCRE2_SPTR)b.data, b.len, PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED | PCRE2_DUPNAMES, &ec, &eo,
                         NULL);
    zm_buf_free(&b);
    if (!*out) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        return zm_set_error(err, ZM_E_DATA, "rules.tsv", 0, "%s rules do not combine: %s", action_names[act], (char *)msg);
    }
    pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE);
    return 0;
}

/* Every rule of an action, combined per first byte (see zm_combined): the
 * bytes whose rules are the same share one pattern. */
static int combine(zm_rules *r, int act, zm_combined *out, zm_error *err)
{
    combined_free(out);
    uint64_t (*sets)[4] = NULL;
    for (int byte = 0; byte < 256; byte++) {
        uint64_t set[4] = {0};
        int any = 0;
        for (int k = 0; k < r->nby[act]; k++)
            if (zm_rule_may_start(&r->rule[r->by_action[act][k]], (unsigned char)byte)) {
                set[k >> 6] |= 1ull << (k & 63);
                any = 1;
            }
        if (!any)
            continue;
        int i = 0;
        while (i < out->ncode && memcmp(sets[i], set, sizeof set) != 0)
            i++;
        if (i == out->ncode) {
            void *ns = realloc(sets, (size_t)(i + 1) * sizeof *sets), *nc = ns ? realloc(out->code, (size_t)(i + 1) * sizeof *out->code) : NULL;
            if (ns)
                sets = ns;
            if (!nc) {
                free(sets);
                return zm_set_error(err, ZM_E_NOMEM, NULL, 0, "out of memory");
            }
            out->code = nc;
            memcpy(sets[i], set, sizeof set);
            int rc = compile_set(r, act, set, &out->code[i], err);
            if (rc) {
                free(sets);
                return rc;
            }
            out->ncode++;
        }
        out->by_byte[byte] = out->code[i];
    }
    free(sets);
    return 0;
}

int zm_rules_marked(const zm_rules *r, int action, pcre2_match_data *md)
{
    PCRE2_SPTR mark = pcre2_get_mark(md);
    int idx = mark ? atoi((const char *)mark) : -1;
    for (int k = 0; k < r->nby[action]; k++)
        if (r->by_action[action][k] == idx)
            return k;
    return -1;
}

static int combined_has(const zm_combined *cb, const pcre2_code *re)
{
    for (int i = 0; re && i < cb->ncode; i++)
        if (cb->code[i] == re)
            return 1;
    return 0;
}

/* Per thread: a context extracts on one thread at a time. */
static _Thread_local zm_match_errors match_errors;

void zm_match_note(const pcre2_code *re, int rc)
{
    if (!match_errors.n++) {
        match_errors.re = re;
        match_errors.code = rc;
    }
}

zm_match_errors zm_match_errors_take(void)
{
    zm_match_errors e = match_errors;
    memset(&match_errors, 0, sizeof match_errors);
    return e;
}

void zm_rules_describe(const zm_rules *r, const pcre2_code *re, char *buf, size_t size)
{
    for (int i = 0; i < r->n; i++)
        if (r->rule[i].re == re) {
            snprintf(buf, size, "rule '%s' (%s:%d)", r->rule[i].id, r->rule[i].file, r->rule[i].line);
            return;
        }
    /* the combined patterns: which alternative ran out is not known */
    snprintf(buf, size, "%s", combined_has(&r->blocks, re) ? "one of the block rules"
                              : combined_has(&r->times, re) ? "one of the time rules"
                              : combined_has(&r->headings, re) ? "one of the heading rules" : "a rule");
}

int zm_rules_finish(zm_rules *r, zm_error *err)
{
    int rc = combine(r, ZM_ACT_BLOCK, &r->blocks, err);
    rc = rc ? rc : combine(r, ZM_ACT_TIME, &r->times, err);
    return rc ? rc : combine(r, ZM_ACT_HEADING, &r->headings, err);
}
