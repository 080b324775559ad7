/* Regex rules kept as data (dict/rules.tsv), compiled once with PCRE2
 * (UTF, UCP, JIT) and shared read-only between threads.
 *   "quantity metric - (?<num>{NUM})...(?<unit>{UNIT})"
 *     => {NUM} and {UNIT} expanded from macros, then compiled
 *   a bad pattern => ZM_E_DATA "rules.tsv:31: missing ) at offset 12"
 */
#ifndef ZM_RULES_H
#define ZM_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>
#include "zhmetrics.h"

enum zm_action { ZM_ACT_IGNORE, ZM_ACT_BLOCK, ZM_ACT_METRIC, ZM_ACT_TIME, ZM_ACT_HEADING, ZM_ACT_DOCNO,
                 ZM_ACT_ORG, ZM_ACT_REGION, ZM_ACT_COUNT };

/* Named groups the mechanisms understand. */
enum zm_group { ZM_G_NUM, ZM_G_NUM2, ZM_G_UNIT, ZM_G_UNIT1, ZM_G_INFIX, ZM_G_MULT, ZM_G_POST,
                ZM_G_Y, ZM_G_M, ZM_G_D, ZM_G_Y2, ZM_G_M2, ZM_G_D2, ZM_G_P, ZM_G_MP, ZM_G_COUNT };

typedef struct zm_rule {
    char *id;
    int action;
    int kind;         /* metric kind override (zm_kind) or -1 */
    char *file;
    int line;
    pcre2_code *re;
    char *pattern;         /* after macro expansion */
    int group[ZM_G_COUNT]; /* group number or -1 */
    uint8_t first[32];     /* bytes a match can start with (PCRE2's start bitmap) */
} zm_rule;

/* A rule can start at byte b of the text. */
static inline int zm_rule_may_start(const zm_rule *r, unsigned char b) { return r->first[b >> 3] >> (b & 7) & 1; }

/* The rules of one action as anchored alternations, one per set of rules
 * that can start with a given byte: (*MARK:i) names the rule (index i)
 * that matched, and a position is tried against the rules that can start
 * there only (a digit is never tried against 一本 or 每一). NULL: none can. */
typedef struct zm_combined {
    pcre2_code *by_byte[256];
    pcre2_code **code; /* the distinct patterns */
    int ncode;
} zm_combined;

typedef struct zm_macro {
    char *name, *value;
} zm_macro;

typedef struct zm_rules {
    zm_rule *rule;
    int n, cap;
    zm_macro *macro;
    int nmacro, capmacro;
    int by_action[ZM_ACT_COUNT][256]; /* rule indexes per action */
    int nby[ZM_ACT_COUNT];
    pcre2_match_context *mctx; /* limits; read-only after load */
    /* block rules combined: one match call per numeral instead of one per
     * rule; time rules: finds which one applies; heading styles: one call
     * a line */
    zm_combined blocks, times, headings;
} zm_rules;

int zm_rules_init(zm_rules *r);
/* Sets a macro available as {NAME} to patterns loaded afterwards. */
int zm_rules_define(zm_rules *r, const char *name, const char *value);
/* Loads and compiles a rules file. */
int zm_rules_load(zm_rules *r, const char *path, zm_error *err);
void zm_rules_free(zm_rules *r);
/* Builds the combined block pattern once every rule file is loaded. */
int zm_rules_finish(zm_rules *r, zm_error *err);
/* After a match of one of the action's combined patterns: the position,
 * in by_action[action], of the rule its (*MARK) names, or -1. */
int zm_rules_marked(const zm_rules *r, int action, pcre2_match_data *md);
/* Largest capture count over all rules (for match data sizing). */
int zm_rules_max_groups(const zm_rules *r);

/* ---- matches cut short ----
 * A match that stops on a limit (match, depth, heap, JIT stack: a rule
 * that backtracks catastrophically) or any other PCRE2 error returns a
 * negative code that callers take for "no match". To keep that from being
 * silent, every pcre2_match of the library goes through zm_match (the macro
 * below, so that no call site can miss it), which counts such failures per
 * thread; the caller of zm_extract reads them with zm_match_errors_take. */
typedef struct zm_match_errors {
    unsigned long n;       /* failed matches since the last take */
    const pcre2_code *re;  /* the first one's pattern */
    int code;              /* and its PCRE2 error code */
} zm_match_errors;

void zm_match_note(const pcre2_code *re, int rc);
/* The failures counted on this thread since the last call; clears them. */
zm_match_errors zm_match_errors_take(void);
/* "rule 'id' (file:line)" naming the rule whose compiled pattern is re
 * (or the combined block or time rules), into buf. */
void zm_rules_describe(const zm_rules *r, const pcre2_code *re, char *buf, size_t size);

static inline int zm_match(const pcre2_code *re, PCRE2_SPTR subject, PCRE2_SIZE len, PCRE2_SIZE start,
                           uint32_t options, pcre2_match_data *md, pcre2_match_context *mctx)
{
    /* the JIT fast path skips pcre2_match's checks (an eighth of the
     * matching cost, callgrind); a pattern the JIT could not compile (no
     * executable memory) goes through the interpreter */
    int rc = pcre2_jit_match(re, subject, len, start, options, md, mctx);
    if (rc == PCRE2_ERROR_JIT_BADOPTION)
        rc = pcre2_match(re, subject, len, start, options, md, mctx);
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH && rc != PCRE2_ERROR_PARTIAL)
        zm_match_note(re, rc);
    return rc;
}
#undef pcre2_match
#define pcre2_match zm_match

#endif
