#include "timex.h"

#include <stdio.h>
#include <string.h>

int zm_days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 31;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int zm_ymd_cmp(zm_ymd a, zm_ymd b)
{
    long x = a.y * 10000L + a.m * 100 + a.d, y = b.y * 10000L + b.m * 100 + b.d;
    return (x > y) - (x < y);
}

void zm_ymd_format(zm_ymd a, char *out)
{
    /* by hand: snprintf was a visible cost at one call per metric */
    unsigned y = (unsigned)a.y % 10000u, m = (unsigned)a.m % 100u, d = (unsigned)a.d % 100u;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = 0;
}

int zm_ymd_parse(const char *s, zm_ymd *out)
{
    int y, m, d;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1000 || m < 1 || m > 12 || d < 1 ||
        d > zm_days_in_month(y, m))
        return -1;
    out->y = y, out->m = m, out->d = d;
    return 0;
}

static int group(const zm_rule *r, int g, const size_t *ovec, size_t *s, size_t *e)
{
    int n = r->group[g];
    if (n < 0 || ovec[2 * n] == (size_t)-1)
        return 0;
    *s = ovec[2 * n];
    *e = ovec[2 * n + 1];
    return *e > *s;
}

/* Integer value of a year/month/day group (Arabic or Chinese). */
static int group_int(const zm_model *m, const zm_rule *r, int g, const char *text, const size_t *ovec, int *out)
{
    size_t s, e;
    if (!group(r, g, ovec, &s, &e))
        return 0;
    zm_dec v;
    if (zm_numex_parse(&m->num, text + s, e - s, &v) || v.s != 0 || v.m < 0 || v.m > 9999)
        return 0;
    *out = (int)v.m;
    return 1;
}

static zm_ymd clip(int y, int mo, int d)
{
    zm_ymd r = {y, mo, d};
    int dim = zm_days_in_month(y, mo);
    if (r.d > dim)
        r.d = dim;
    return r;
}

int zm_time_from_match(const zm_model *m, const zm_rule *r, const char *text, const size_t *ovec, int ctx_year,
                       zm_time *out)
{
    memset(out, 0, sizeof *out);
    out->start = ovec[0];
    out->end = ovec[1];
    int y = 0, mo = 0, d = 0, y2 = 0, m2 = 0, d2 = 0;
    int hy = group_int(m, r, ZM_G_Y, text, ovec, &y);
    int hm = group_int(m, r, ZM_G_M, text, ovec, &mo);
    int hd = group_int(m, r, ZM_G_D, text, ovec, &d);
    int hy2 = group_int(m, r, ZM_G_Y2, text, ovec, &y2);
    int hm2 = group_int(m, r, ZM_G_M2, text, ovec, &m2);
    int hd2 = group_int(m, r, ZM_G_D2, text, ovec, &d2);
    size_t ps, pe;
    const zm_period *per = group(r, ZM_G_P, ovec, &ps, &pe) ? zm_model_period(m, text + ps, pe - ps) : NULL;
    /* 5月至2020年3月: only the end names the year; the start shares it */
    if (!hy && hy2) {
        y = y2;
        hy = 1;
    }
    out->explicit_year = hy;
    if ((hy && (y < 1900 || y > 2199)) || (hy2 && (y2 < 1900 || y2 > 2199)))
        return -1;
    if (per && per->absolute) {
        out->from = (zm_ymd){per->from_y, per->from_m, per->from_d};
        out->to = (zm_ymd){per->to_y, per->to_m, per->to_d};
        out->explicit_year = 1;
        return 0;
    }
    if (!hy)
        y = ctx_year;
    if (!y)
        return -1;
    if ((hm && (mo < 1 || mo > 12)) || (hm2 && (m2 < 1 || m2 > 12)))
        return -1;
    if (per) {
        out->from = clip(y + per->from_y, per->from_m, per->from_d);
        out->to = clip(y + per->to_y, per->to_m, per->to_d);
        return 0;
    }
    if (hd2) {
        if (!hm || !hd)
            return -1;
        out->from = clip(y, mo, d);
        out->to = clip(hy2 ? y2 : y, hm2 ? m2 : mo, d2);
        /* 12月25日至1月5日: the range runs into the next year */
        if (!hy2 && zm_ymd_cmp(out->from, out->to) > 0 && out->from.m >= 10 && out->to.m <= 3)
            out->to = clip(y + 1, hm2 ? m2 : mo, d2);
        out->day_level = 1;
        return zm_ymd_cmp(out->from, out->to) <= 0 ? 0 : -1;
    }
    if (hy2) {
        out->from = (zm_ymd){y, hm ? mo : 1, 1};
        out->to = clip(y2, hm2 ? m2 : 12, 31);
        return zm_ymd_cmp(out->from, out->to) <= 0 ? 0 : -1;
    }
    if (hm2) {
        out->from = (zm_ymd){y, hm ? mo : 1, 1};
        out->to = clip(y, m2, 31);
        return zm_ymd_cmp(out->from, out->to) <= 0 ? 0 : -1;
    }
    if (hm && hd) {
        if (d < 1 || d > zm_days_in_month(y, mo))
            return -1;
        out->from = out->to = (zm_ymd){y, mo, d};
        out->day_level = 1;
        return 0;
    }
    if (hm) {
        out->from = (zm_ymd){y, mo, 1};
        out->to = clip(y, mo, 31);
        size_t ms, me;
        if (group(r, ZM_G_MP, ovec, &ms, &me)) {
            const char *p = text + ms;
            size_t n = me - ms;
            if ((n == 3 && memcmp(p, "初", 3) == 0) || (n == 6 && memcmp(p, "上旬", 6) == 0))
                out->to.d = 10;
            else if (n == 6 && memcmp(p, "中旬", 6) == 0)
                out->from.d = 11, out->to.d = 20;
            else
                out->from.d = 21; /* 下旬, 底, 末 */
            out->day_level = 1;
        }
        return 0;
    }
    if (hy) {
        out->from = (zm_ymd){y, 1, 1};
        out->to = (zm_ymd){y, 12, 31};
        return 0;
    }
    return -1;
}
