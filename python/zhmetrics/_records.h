/* zhmetrics._core's records: an extracted document (zm_doc) as the list
 * of dicts json.loads(..., parse_float=Decimal) makes of its JSON Lines,
 * built in C from the library's field table (zm_field_info, zm_field_get),
 * with no JSON written or parsed:
 *   "共投入资金2269万元。" => [{"type": "document", "doc": "a.txt", ..., "metrics": 1},
 *                            {"type": "metric", "doc": "a.txt", "id": "a.txt#1", ...,
 *                             "value": 22690000, "unit": "元", ...}]
 *   "入籍率79.68％"        => ... "value": Decimal("79.68") ...
 *   bytes that are not text => [{"type": "error", "doc": "b.txt", "error": "..."}]
 * Needs the GIL throughout.
 */
#ifndef ZMPY_RECORDS_H
#define ZMPY_RECORDS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <zhmetrics.h>

/* One record type's fields, read from the table once (per Model). */
typedef struct zmpy_fields {
    size_t n;
    const zm_field **info; /* n rows of the table */
    PyObject **key;        /* n interned names */
    /* {"type": type, every field: None} in output order: each record is
     * a copy, filled in place (with and without the explain fields) */
    PyObject *tmpl, *tmpl_explain;
} zmpy_fields;

/* How often a metric field's strings were found again in their
 * document (_records.c: str_of) */
typedef struct zmpy_cache_stat {
    unsigned tries, hits;
} zmpy_cache_stat;

typedef struct zmpy_records {
    zmpy_fields doc, metric;
    zmpy_cache_stat *metric_stats; /* one a metric field; updated under the GIL */
    PyObject *k_type, *k_doc, *k_error, *k_text, *k_from, *k_to;
    PyObject *v_error;
} zmpy_records;

/* Fills r from the field table. 0, or -1 with a Python exception set
 * (r is then cleared). */
int zmpy_records_init(zmpy_records *r);
void zmpy_records_clear(zmpy_records *r);

/* The records of d as a new list (NULL with an exception set). */
PyObject *zmpy_records_of(const zmpy_records *r, const zm_doc *d);

#endif
