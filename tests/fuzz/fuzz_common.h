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
