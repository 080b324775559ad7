/* One CSV cell (csv_cell.h). */
#include "csv_cell.h"

#include <string.h>

int zm_csv_cell(sbuf *b, const char *s, int tick, int last)
{
    int rc = 0;
    if (s) {
        int quote = !*s || strpbrk(s, ",\"\r\n") != NULL;
        if (quote)
            rc |= sbuf_addc(b, '"');
        if (tick)
            rc |= sbuf_addc(b, '\'');
        if (quote) {
            for (const char *p = s; *p && !rc; p++)
                rc |= *p == '"' ? sbuf_add(b, "\"\"", 2) : sbuf_addc(b, *p);
            rc |= sbuf_addc(b, '"');
        } else {
            rc |= sbuf_adds(b, s);
        }
    }
    rc |= last ? sbuf_add(b, "\r\n", 2) : sbuf_addc(b, ',');
    return rc ? -1 : 0;
}
