/* Fuzz target: input decoding (src/decode.c, src/utf8.c).
 *   any bytes => zm_decode => either an error message, or UTF-8 text that
 *   is valid, has no NUL, is NUL-terminated and names its encoding; plain
 *   UTF-8 input comes back byte for byte.
 * The decoder runs twice, with a fresh and with a reused output buffer (a
 * zm_ctx reuses it from one document to the next).
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_common.h"

#include "decode.h"
#include "util.h"
#include "utf8.h"

static zm_buf reused;

static void check_one(const uint8_t *data, size_t size, zm_buf *out)
{
    const char *enc = NULL;
    char msg[256];
    msg[0] = 0;
    int rc = zm_decode((const char *)data, size, out, &enc, msg, sizeof msg);
    if (rc) {
        FUZZ_CHECK(rc == ZM_E_INPUT || rc == ZM_E_NOMEM, "rc %d", rc);
        FUZZ_CHECK(msg[0] != 0, "error without a message");
        FUZZ_CHECK(memchr(msg, 0, sizeof msg) != NULL, "message not terminated");
        return;
    }
    FUZZ_CHECK(enc != NULL, "no encoding named");
    FUZZ_CHECK(out->data != NULL, "no output buffer");
    FUZZ_CHECK(out->data[out->len] == 0, "output not NUL-terminated");
    FUZZ_CHECK(memchr(out->data, 0, out->len) == NULL, "NUL inside decoded text (%s)", enc);
    size_t bad = zm_utf8_check(out->data, out->len);
    FUZZ_CHECK(bad == out->len, "decoded text (%s) invalid UTF-8 at %zu of %zu", enc, bad, out->len);
    if (strcmp(enc, "utf-8") == 0)
        FUZZ_CHECK(out->len == size && memcmp(out->data, data, size) == 0, "utf-8 input changed by decoding");
    if (strcmp(enc, "utf-8-bom") == 0)
        FUZZ_CHECK(size >= 3 && out->len == size - 3 && memcmp(out->data, data + 3, size - 3) == 0,
                   "utf-8-bom input changed by decoding");
    /* code point walk: every step consumes a whole, valid code point, and
     * re-encodes to the same bytes */
    const unsigned char *u = (const unsigned char *)out->data, *end = u + out->len;
    size_t ncp = 0;
    while (u < end) {
        int cp;
        int k = zm_utf8_next(u, end, &cp);
        FUZZ_CHECK(cp >= 0 && k >= 1 && k <= 4, "invalid code point at %zu", (size_t)(u - (const unsigned char *)out->data));
        char enc8[4];
        int n = zm_utf8_encode(cp, enc8);
        FUZZ_CHECK(n == k && memcmp(enc8, u, (size_t)k) == 0, "U+%04X re-encodes differently", (unsigned)cp);
        u += k;
        ncp++;
    }
    FUZZ_CHECK(ncp == zm_utf8_count(out->data, out->len), "zm_utf8_count %zu, walked %zu",
               zm_utf8_count(out->data, out->len), ncp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zm_buf fresh = {0};
    check_one(data, size, &fresh);
    zm_buf_free(&fresh);
    check_one(data, size, &reused);
    /* the raw input through the validator and the code point reader */
    size_t bad = zm_utf8_check((const char *)data, size);
    FUZZ_CHECK(bad <= size, "zm_utf8_check beyond the end");
    return 0;
}
