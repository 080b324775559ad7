/* UTF-8 the library wrote, as a str, faster than PyUnicode_DecodeUTF8 for
 * the short CJK strings records are made of (see _str.c). Needs the GIL. */
#ifndef ZMPY_STR_H
#define ZMPY_STR_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* s[0..n) as a new str; text that is not well-formed UTF-8 gets
 * PyUnicode_DecodeUTF8's answer (its UnicodeDecodeError). */
PyObject *zmpy_str(const char *s, size_t n);

#endif
