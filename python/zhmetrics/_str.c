/* str objects from the library's UTF-8 (see _str.h).
 *
 * Why not PyUnicode_DecodeUTF8: it sizes its result by the byte count,
 * starts it as ASCII, widens it when the first Chinese character comes
 * (a second object and a copy) and shrinks it at the end (a realloc):
 * about a thousand instructions for a ten-character subject, and records
 * are mostly such strings (callgrind: a third of the dict building). Here
 * one pass counts the characters and finds the widest, and a second
 * writes them straight into an object of the right size and kind, with
 * public API only (PyUnicode_New, PyUnicode_DATA).
 *
 * The first pass also checks the text is well-formed (no overlong forms,
 * surrogates, or code points past U+10FFFF), as Python's decoder does:
 * anything else is handed to PyUnicode_DecodeUTF8, so that errors are
 * Python's own. The library only writes valid UTF-8; this is a guard.
 */
#include "_str.h"

#include <stdint.h>
#include <string.h>

/* Pass 1: the number of code points in p[0..n) and the widest kind's
 * largest code point (0x7F, 0xFF, 0xFFFF or 0x10FFFF), or -1 when the
 * text is not well-formed. The kind follows from the lead bytes alone
 * (C2-C3: Latin-1; C4-DF and three bytes: UCS-2; four bytes: UCS-4);
 * the checks are those of Python's decoder (RFC 3629: no overlong forms,
 * no surrogates, nothing past U+10FFFF). */
static long measure(const unsigned char *p, const unsigned char *end, Py_ssize_t *count)
{
    Py_ssize_t nc = 0;
    long max = 0x7F;
    while (p < end) {
        /* ASCII eight bytes a step (ids, dates, names) */
        while (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            if (w & 0x8080808080808080ull)
                break;
            p += 8;
            nc += 8;
        }
        if (p == end)
            break;
        unsigned c = p[0];
        if (c < 0x80) {
            p++;
        } else if (c >= 0xE0 && c < 0xF0) { /* most Chinese text */
            if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (c == 0xE0 && p[1] < 0xA0) ||
                (c == 0xED && p[1] >= 0xA0))
                return -1;
            if (max < 0xFFFF)
                max = 0xFFFF;
            p += 3;
        } else if (c >= 0xC2 && c < 0xE0) {
            if (end - p < 2 || (p[1] & 0xC0) != 0x80)
                return -1;
            if (max < (c < 0xC4 ? 0xFF : 0xFFFF))
                max = c < 0xC4 ? 0xFF : 0xFFFF;
            p += 2;
        } else if (c >= 0xF0 && c < 0xF5) {
            if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80 ||
                (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
                return -1;
            max = 0x10FFFF;
            p += 4;
        } else {
            return -1; /* a continuation byte, C0-C1, F5-FF */
        }
        nc++;
    }
    *count = nc;
    return max;
}

/* Pass 2, for one kind: the checks are done, so each sequence is read as
 * it is. */
#define DECODE(T)                                                                                    \
    for (T *q = (T *)data; p < end; q++) {                                                          \
        unsigned c = *p;                                                                             \
        if (c < 0x80)                                                                                \
            *q = (T)c, p += 1;                                                                       \
        else if (c < 0xE0)                                                                           \
            *q = (T)(((c & 0x1Fu) << 6) | (p[1] & 0x3Fu)), p += 2;                                   \
        else if (c < 0xF0)                                                                           \
            *q = (T)(((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu)), p += 3;          \
        else                                                                                         \
            *q = (T)(((c & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu)), \
            p += 4;                                                                                  \
    }

/* Both passes: any length, any kind. */
static PyObject *two_pass(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    Py_ssize_t count;
    long max = measure(p, end, &count);
    if (max < 0)
        return PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, NULL);
    PyObject *o = PyUnicode_New(count, (Py_UCS4)max);
    if (!o)
        return NULL;
    void *data = PyUnicode_DATA(o);
    if (max == 0x7F)
        memcpy(data, s, n);
    else if (max == 0xFFFF)
        DECODE(Py_UCS2)
    else if (max == 0xFF)
        DECODE(Py_UCS1)
    else
        DECODE(Py_UCS4)
    return o;
}

/* Strings up to this many bytes (most of a record's: sentences run to a
 * few hundred) are decoded in one pass into a buffer on the stack, then
 * copied into their object. */
#define ONE_PASS_MAX 1024

PyObject *zmpy_str(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    /* ASCII eight bytes a step: all of it is a copy (ids, dates, names) */
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        if (w & 0x8080808080808080ull)
            break;
        p += 8;
    }
    while (p < end && *p < 0x80)
        p++;
    if (p == end) {
        PyObject *o = PyUnicode_New((Py_ssize_t)n, 0x7F);
        if (o)
            memcpy(PyUnicode_DATA(o), s, n);
        return o;
    }
    if (n > ONE_PASS_MAX)
        return two_pass(s, n);
    /* one pass into UCS-2, checked as measure() does; four-byte
     * sequences (UCS-4, rare) and anything malformed go to two_pass */
    Py_UCS2 buf[ONE_PASS_MAX];
    size_t i = 0;
    unsigned wide = 0; /* a code point past U+00FF */
    for (const unsigned char *q = (const unsigned char *)s; q < p; q++)
        buf[i++] = *q;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            buf[i++] = (Py_UCS2)c;
            p++;
        } else if (c >= 0xE0 && c < 0xF0) {
            if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (c == 0xE0 && p[1] < 0xA0) ||
                (c == 0xED && p[1] >= 0xA0))
                return two_pass(s, n);
            buf[i++] = (Py_UCS2)(((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu));
            wide = 1;
            p += 3;
        } else if (c >= 0xC2 && c < 0xE0) {
            if (end - p < 2 || (p[1] & 0xC0) != 0x80)
                return two_pass(s, n);
            buf[i++] = (Py_UCS2)(((c & 0x1Fu) << 6) | (p[1] & 0x3Fu));
            wide |= c >= 0xC4;
            p += 2;
        } else {
            return two_pass(s, n);
        }
    }
    PyObject *o = PyUnicode_New((Py_ssize_t)i, wide ? 0xFFFF : 0xFF);
    if (!o)
        return NULL;
    if (wide) {
        memcpy(PyUnicode_DATA(o), buf, i * sizeof *buf);
    } else {
        Py_UCS1 *d = PyUnicode_1BYTE_DATA(o);
        for (size_t k = 0; k < i; k++)
            d[k] = (Py_UCS1)buf[k];
    }
    return o;
}
