/* Fuzz target: normalisation and dictionary word segmentation
 * (src/norm.c, src/seg.c, src/lexicon.c) with the full lexicon (general +
 * domain words, as the CLI loads it).
 *   bytes => zm_decode => zm_norm_run => zm_seg_run
 * Checks: the folded text is valid UTF-8 and its offset map is monotonic,
 * lands on character starts of the original and inverts zm_norm_from_orig; tokens are non-empty,
 * contiguous, cover the text, start on character boundaries, and a token
 * marked known is a lexicon word. Sub-windows (as zm_seg_window asks for)
 * segment the same way.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_common.h"

#include "decode.h"
#include "model.h"
#include "norm.h"
#include "seg.h"
#include "util.h"
#include "utf8.h"

static zm_model *model;
static zm_buf text;
static zm_norm norm;
static zm_seg seg;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    model = fuzz_load_model(getenv("ZM_FUZZ_NO_GENERAL") == NULL);
    return 0;
}

static int is_start(const char *s, size_t i) { return ((unsigned char)s[i] & 0xC0) != 0x80; }

static void check_seg(const char *s, size_t len)
{
    int rc = zm_seg_run(&seg, model->lex, s, len);
    FUZZ_CHECK(rc == 0, "zm_seg_run rc %d", rc);
    size_t at = 0;
    for (size_t i = 0; i < seg.ntok; i++) {
        const zm_token *t = &seg.tok[i];
        FUZZ_CHECK(t->start == at, "token %zu starts at %u, expected %zu", i, t->start, at);
        FUZZ_CHECK(t->len > 0, "empty token %zu at %u", i, t->start);
        FUZZ_CHECK((size_t)t->start + t->len <= len, "token %zu past the end", i);
        FUZZ_CHECK(is_start(s, t->start), "token %zu starts inside a character", i);
        if (t->known) {
            const zm_lex_entry *e = zm_lexicon_find(model->lex, s + t->start, t->len);
            FUZZ_CHECK(e && e->freq > 0, "token %zu '%.*s' marked known, not a word", i, (int)t->len, s + t->start);
            FUZZ_CHECK(zm_lexicon_pos_name(model->lex, t->pos) != NULL, "token %zu: no POS name", i);
        }
        at += t->len;
    }
    FUZZ_CHECK(at == len, "tokens cover %zu of %zu bytes", at, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *enc;
    char msg[256];
    if (zm_decode((const char *)data, size, &text, &enc, msg, sizeof msg))
        return 0;
    int rc = zm_norm_run(&norm, text.data, text.len);
    FUZZ_CHECK(rc == 0, "zm_norm_run rc %d", rc);
    FUZZ_CHECK(norm.text && norm.text[norm.len] == 0, "folded text not terminated");
    FUZZ_CHECK(norm.len <= text.len, "folding grew the text: %zu > %zu", norm.len, text.len);
    FUZZ_CHECK(zm_utf8_check(norm.text, norm.len) == norm.len, "folded text invalid UTF-8");
    size_t prev = 0;
    for (size_t i = 0; i <= norm.len; i++) {
        size_t o = zm_norm_orig(&norm, i);
        FUZZ_CHECK(o <= text.len, "map[%zu] = %zu beyond %zu", i, o, text.len);
        FUZZ_CHECK(o >= prev, "map not monotonic at %zu", i);
        if (i < norm.len && is_start(norm.text, i))
            FUZZ_CHECK(o == text.len || is_start(text.data, o), "map[%zu] = %zu inside a character", i, o);
        prev = o;
    }
    FUZZ_CHECK(zm_norm_orig(&norm, norm.len) == text.len, "map end %zu != %zu", zm_norm_orig(&norm, norm.len), text.len);
    for (size_t o = 0; o < text.len; o++) {
        if (!is_start(text.data, o))
            continue;
        size_t f = zm_norm_from_orig(&norm, o);
        FUZZ_CHECK(f <= norm.len && zm_norm_orig(&norm, f) == o, "from_orig(%zu) = %zu maps back to %zu", o, f,
                   f <= norm.len ? zm_norm_orig(&norm, f) : (size_t)-1);
    }
    check_seg(norm.text, norm.len);
    /* windows between character boundaries picked from the input */
    if (norm.len > 2 && size >= 2) {
        size_t lo = data[0] % norm.len, hi = lo + 1 + data[size - 1] % (norm.len - lo);
        while (lo > 0 && !is_start(norm.text, lo))
            lo--;
        while (hi < norm.len && !is_start(norm.text, hi))
            hi++;
        check_seg(norm.text + lo, hi - lo);
    }
    return 0;
}
