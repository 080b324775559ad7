/* The library's API edges (issue 16, item 14): each line printed is one
 * check, "ok ..." or "FAIL ...", read by t_api.sh.
 *   api_edges  => exit 0 when every check passed */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zhmetrics.h"

static int fails;

static void check(int cond, const char *what)
{
    printf("%s %s\n", cond ? "ok" : "FAIL", what);
    fails += !cond;
}

int main(void)
{
    /* a NULL message is still an error record, never a document record */
    zm_doc *d = zm_doc_new_error(NULL, NULL);
    check(d != NULL, "zm_doc_new_error(NULL, NULL) gives a document");
    check(d && zm_doc_error(d) != NULL, "zm_doc_new_error(NULL, NULL) is an error");
    /* of a class docs/format.md lists */
    check(d && zm_doc_error(d) && strncmp(zm_doc_error(d), "internal error:", 15) == 0,
          "zm_doc_new_error(NULL, NULL): class internal error:");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = d ? zm_doc_append(d, ZM_FORMAT_JSONL, &buf, &len, &cap) : -1;
    check(rc == 0 && buf && strstr(buf, "\"type\":\"error\""), "zm_doc_new_error(NULL, NULL) writes an error record");
    free(buf);

    /* an unknown format is refused, nothing written */
    FILE *f = tmpfile();
    rc = d && f ? zm_doc_write(d, 7, f) : 0;
    check(rc == ZM_E_USAGE, "zm_doc_write(format 7) is ZM_E_USAGE");
    check(f && ftell(f) == 0, "zm_doc_write(format 7) writes nothing");
    rc = d && f ? zm_doc_write(d, -1, f) : 0;
    check(rc == ZM_E_USAGE, "zm_doc_write(format -1) is ZM_E_USAGE");
    buf = NULL, len = 0, cap = 0;
    rc = d ? zm_doc_append(d, 2, &buf, &len, &cap) : 0;
    check(rc == ZM_E_USAGE && len == 0, "zm_doc_append(format 2) is ZM_E_USAGE");
    free(buf);
    if (f)
        fclose(f);
    zm_doc_free(d);
    return fails ? 1 : 0;
}
