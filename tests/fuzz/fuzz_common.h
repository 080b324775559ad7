/* Shared helpers for the libFuzzer targets in tests/fuzz/.
 *
 * Each fuzz_*.c defines LLVMFuzzerTestOneInput (and LLVMFuzzerInitialize
 * when it needs the model). Built two ways:
 *   make fuzz          clang -fsanitize=fuzzer,address,undefined (libFuzzer
 *                      main), run from the seeds in tests/fuzz/corpus/<t>/
 *   make robust-test   the compiler of the normal build with replay_main.c
 *                      as main: every file of tests/fuzz/regress/<t>/ and
 *                      tests/fuzz/corpus/<t>/ is run once (no clang needed)
 *
 * A broken invariant calls FUZZ_CHECK, which prints what and aborts, so
 * libFuzzer saves the input as a crash artifact.
 */
#ifndef ZM_FUZZ_COMMON_H
#define ZM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zhmetrics.h"

#ifndef ZM_SOURCE_DIR
#define ZM_SOURCE_DIR "."
#endif

#define FUZZ_CHECK(cond, ...)                                                    \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n  ", __FILE__,      \
                    __LINE__, #cond);                                            \
            fprintf(stderr, __VA_ARGS__);                                        \
            fputc('\n', stderr);                                                 \
            abort();                                                             \
        }                                                                        \
    } while (0)

/* Known bugs: an open bug listed in tests/fuzz/regress/KNOWN (reported,
 * its reproducer saved) is tolerated, so that fuzzing goes on to find new
 * ones, unless ZM_KNOWN_BUGS is set. A target writes
 *     if (!(invariant) && fuzz_known("BUG-1")) return 0;
 * before the FUZZ_CHECK of that invariant, with a precise condition. */
static inline int fuzz_known(const char *bug)
{
    (void)bug;
    return getenv("ZM_KNOWN_BUGS") == NULL;
}

/* Is s[0..n) valid UTF-8 (no overlong forms, surrogates or > U+10FFFF)? */
static inline int fuzz_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t k = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (!k || i + k > n)
            return 0;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
        if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) || (c == 0xF0 && s[i + 1] < 0x90) ||
            (c == 0xF4 && s[i + 1] > 0x8F))
            return 0;
        i += k;
    }
    return 1;
}

/* The dictionary directory: $ZM_FUZZ_DICT, else the source tree's dict/. */
static inline const char *fuzz_dict_dir(void)
{
    const char *d = getenv("ZM_FUZZ_DICT");
    return d && *d ? d : ZM_SOURCE_DIR "/dict";
}

/* Loads the model once; general_lexicon "" (domain words only) unless
 * with_general. Exits on failure: a fuzzer without its model finds nothing. */
static inline zm_model *fuzz_load_model(int with_general)
{
    zm_model_options o = {NULL, with_general ? NULL : ""};
    zm_error err;
    memset(&err, 0, sizeof err);
    zm_model *m = zm_model_load(fuzz_dict_dir(), &o, &err);
    if (!m) {
        fprintf(stderr, "fuzz: cannot load model from %s: %s:%d: %s\n", fuzz_dict_dir(),
                err.file, err.line, err.msg);
        exit(2);
    }
    return m;
}

/* A NUL-terminated copy of the input (callers free). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = 0;
    return s;
}

#endif
