/* Fuzz target: one input reader's glue (src/lib/input_<R>.c, src/lib/input_text.c,
 * src/lib/input_detect.c), R chosen at compile time: -DZM_FUZZ_READER=html,
 * docx or pdf builds fuzz_html, fuzz_docx or fuzz_pdf (mk/robust.mk).
 *   any bytes => zm_input_<R> => an error (a known code with a message) or
 *   text that is valid UTF-8 without NUL, NUL-terminated, within max,
 *   with page starts from 0 that never decrease nor pass the end
 * The kind detection runs on the same bytes, named x.<R>.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_common.h"

#include "input.h"
#include "utf8.h"

#ifndef ZM_FUZZ_READER
#error "build with -DZM_FUZZ_READER=html, docx or pdf"
#endif

/* two levels so that the macro's value, not its name, is pasted */
#define FUZZ_CAT_(a, b) a##b
#define FUZZ_CAT(a, b) FUZZ_CAT_(a, b)
#define FUZZ_STR_(a) #a
#define FUZZ_STR(a) FUZZ_STR_(a)
#define FUZZ_READ FUZZ_CAT(zm_input_, ZM_FUZZ_READER)
#define FUZZ_NAME "x." FUZZ_STR(ZM_FUZZ_READER)

#define MAX (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zm_input in;
    char msg[256];
    msg[0] = 0;
    zm_input_kind k = zm_input_detect((const char *)data, size, FUZZ_NAME);
    FUZZ_CHECK(k >= ZM_IN_TEXT && k < ZM_IN_N, "kind %d", (int)k);
    int rc = FUZZ_READ((const char *)data, size, MAX, &in, msg, sizeof msg);
    if (rc) {
        FUZZ_CHECK(rc == ZM_E_INPUT || rc == ZM_E_LIMIT || rc == ZM_E_NOMEM, "rc %d", rc);
        FUZZ_CHECK(msg[0] != 0 && memchr(msg, 0, sizeof msg), "error without a message");
        FUZZ_CHECK(in.text == NULL, "text left on error");
        return 0;
    }
    FUZZ_CHECK(in.text != NULL && in.text[in.len] == 0, "text not NUL-terminated");
    FUZZ_CHECK(in.len <= MAX + 1, "text of %zu bytes over max", in.len);
    FUZZ_CHECK(memchr(in.text, 0, in.len) == NULL, "NUL inside the text");
    FUZZ_CHECK(zm_utf8_check(in.text, in.len) == in.len, "text not valid UTF-8");
    for (size_t i = 0; i < in.npages; i++)
        FUZZ_CHECK(in.pages[i] <= in.len && (i ? in.pages[i] >= in.pages[i - 1] : in.pages[0] == 0),
                   "page %zu starts at %zu", i, in.pages[i]);
    zm_input_free(&in);
    return 0;
}
