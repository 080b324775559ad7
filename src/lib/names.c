/* The names of the enumerated metric fields: the one table each that the
 * output, the dictionary loader and the review page read.
 *   zm_kind_name(ZM_K_RATIO) => "ratio", zm_kind_parse("ration") => -1
 */
#include <string.h>

#include "zhmetrics.h"

static const char *const kind_names[ZM_K_N] = {"amount", "count", "ratio", "measure", "duration"};
static const char *const status_names[ZM_S_N] = {"actual", "target"};
static const char *const qual_names[ZM_Q_N] = {"exact", "over", "at_least", "under", "at_most", "about"};
static const char *const change_names[ZM_C_N] = {NULL, "increase", "decrease"};

static const char *name_of(const char *const *names, int n, int v) { return v >= 0 && v < n ? names[v] : NULL; }

static int parse(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (names[i] && strcmp(names[i], s) == 0)
            return i;
    return -1;
}

const char *zm_kind_name(int kind) { return name_of(kind_names, ZM_K_N, kind); }
const char *zm_status_name(int status) { return name_of(status_names, ZM_S_N, status); }
const char *zm_qualifier_name(int qualifier) { return name_of(qual_names, ZM_Q_N, qualifier); }
const char *zm_change_name(int change) { return name_of(change_names, ZM_C_N, change); }
int zm_kind_parse(const char *s) { return parse(kind_names, ZM_K_N, s); }
int zm_status_parse(const char *s) { return parse(status_names, ZM_S_N, s); }
int zm_qualifier_parse(const char *s) { return parse(qual_names, ZM_Q_N, s); }
int zm_change_parse(const char *s) { return parse(change_names, ZM_C_N, s); }
