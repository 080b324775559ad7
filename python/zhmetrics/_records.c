/* Records as dicts, from the field table (see _records.h).
 *
 * The rules are those of the JSON Lines writer (src/lib/emit_json.c,
 * jsonl_records), so that each dict equals json.loads of the CLI's line
 * (tests/python/test_records.py compares every corpus and test document):
 *  - a document with an error is {"type": "error", "doc", "error"};
 *  - the fields flagged ZM_FIELD_EXPLAIN are on every metric when the
 *    first metric has them (extracted with explain), else left out;
 *  - null is None; a number (ZM_FT_NUMBER) is an int when written without
 *    a fraction or exponent and a decimal.Decimal otherwise, as json gives
 *    with parse_float=Decimal; JSON text (ZM_FT_JSON) is parsed by json
 *    with the same parse_float.
 *
 * Cost is the point of this file: the Python layer must add little to the
 * extraction itself. Keys are made once per Model; a record is a copy of
 * a template dict that already holds every key (no rehashing as it fills,
 * keys found by identity); the strings that recur in a document (its
 * name, sentences, section headings, kind and unit names) are made once
 * per document and shared, found again by their pointer: the document
 * owns its strings or points at constant tables, so a pointer names the
 * same text for the whole build. Sharing is safe as str is immutable;
 * lists and dicts are always new objects.
 */
#include "_records.h"
#include "_str.h"

#include <stdint.h>
#include <string.h>

/* decimal.Decimal and json's decoder, imported on first use: most
 * documents need Decimal, few (explained ones) need json; a process that
 * needs neither does not pay for their import. Set under the GIL. */
static PyObject *decimal_type;
static PyObject *json_decode;

static PyObject *get_decimal(void)
{
    if (!decimal_type) {
        PyObject *mod = PyImport_ImportModule("decimal");
        PyObject *t = mod ? PyObject_GetAttrString(mod, "Decimal") : NULL;
        Py_XDECREF(mod);
        if (!t)
            return NULL;
        if (decimal_type) /* imported meanwhile by another thread */
            Py_DECREF(t);
        else
            decimal_type = t;
    }
    return decimal_type;
}

/* json.JSONDecoder(parse_float=decimal.Decimal).decode */
static PyObject *get_json_decode(void)
{
    if (!json_decode) {
        PyObject *dec = get_decimal();
        PyObject *mod = dec ? PyImport_ImportModule("json") : NULL;
        PyObject *cls = mod ? PyObject_GetAttrString(mod, "JSONDecoder") : NULL;
        PyObject *args = cls ? PyTuple_New(0) : NULL;
        PyObject *kw = args ? Py_BuildValue("{sO}", "parse_float", dec) : NULL;
        PyObject *obj = kw ? PyObject_Call(cls, args, kw) : NULL;
        PyObject *fn = obj ? PyObject_GetAttrString(obj, "decode") : NULL;
        Py_XDECREF(mod);
        Py_XDECREF(cls);
        Py_XDECREF(args);
        Py_XDECREF(kw);
        Py_XDECREF(obj);
        if (!fn)
            return NULL;
        if (json_decode)
            Py_DECREF(fn);
        else
            json_decode = fn;
    }
    return json_decode;
}

/* ---- the field table, once per Model ------------------------------------ */

static void fields_clear(zmpy_fields *f)
{
    for (size_t k = 0; f->key && k < f->n; k++)
        Py_XDECREF(f->key[k]);
    PyMem_Free(f->key);
    PyMem_Free((void *)f->info);
    Py_CLEAR(f->tmpl);
    Py_CLEAR(f->tmpl_explain);
    memset(f, 0, sizeof *f);
}

/* {"type": type, each field: None}, the explain fields only with explain */
static PyObject *template_dict(const zmpy_fields *f, PyObject *k_type, PyObject *type, int explain)
{
    PyObject *t = PyDict_New();
    if (!t || PyDict_SetItem(t, k_type, type) < 0)
        goto fail;
    for (size_t k = 0; k < f->n; k++)
        if ((explain || !(f->info[k]->flags & ZM_FIELD_EXPLAIN)) && PyDict_SetItem(t, f->key[k], Py_None) < 0)
            goto fail;
    return t;
fail:
    Py_XDECREF(t);
    return NULL;
}

static int fields_init(zmpy_fields *f, int record, PyObject *k_type, const char *type)
{
    memset(f, 0, sizeof *f);
    f->n = zm_field_count(record);
    f->info = PyMem_Calloc(f->n ? f->n : 1, sizeof *f->info);
    f->key = PyMem_Calloc(f->n ? f->n : 1, sizeof *f->key);
    if (!f->info || !f->key) {
        PyErr_NoMemory();
        goto fail;
    }
    for (size_t k = 0; k < f->n; k++) {
        f->info[k] = zm_field_info(record, k);
        if (!f->info[k] || !(f->key[k] = PyUnicode_InternFromString(f->info[k]->name)))
            goto fail;
    }
    PyObject *tv = PyUnicode_InternFromString(type);
    if (!tv)
        goto fail;
    f->tmpl = template_dict(f, k_type, tv, 0);
    f->tmpl_explain = f->tmpl ? template_dict(f, k_type, tv, 1) : NULL;
    Py_DECREF(tv);
    if (!f->tmpl_explain)
        goto fail;
    return 0;
fail:
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_RuntimeError, "zhmetrics: the library's field table is inconsistent");
    fields_clear(f);
    return -1;
}

int zmpy_records_init(zmpy_records *r)
{
    memset(r, 0, sizeof *r);
    if (!(r->k_type = PyUnicode_InternFromString("type")) || !(r->k_doc = PyUnicode_InternFromString("doc")) ||
        !(r->k_error = PyUnicode_InternFromString("error")) || !(r->k_text = PyUnicode_InternFromString("text")) ||
        !(r->k_from = PyUnicode_InternFromString("from")) || !(r->k_to = PyUnicode_InternFromString("to")) ||
        !(r->v_error = PyUnicode_InternFromString("error")) ||
        fields_init(&r->doc, ZM_RECORD_DOCUMENT, r->k_type, "document") < 0 ||
        fields_init(&r->metric, ZM_RECORD_METRIC, r->k_type, "metric") < 0 ||
        !(r->metric_stats = PyMem_Calloc(r->metric.n + 1, sizeof *r->metric_stats))) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        zmpy_records_clear(r);
        return -1;
    }
    return 0;
}

void zmpy_records_clear(zmpy_records *r)
{
    fields_clear(&r->doc);
    fields_clear(&r->metric);
    PyMem_Free(r->metric_stats);
    r->metric_stats = NULL;
    Py_CLEAR(r->k_type);
    Py_CLEAR(r->k_doc);
    Py_CLEAR(r->k_error);
    Py_CLEAR(r->k_text);
    Py_CLEAR(r->k_from);
    Py_CLEAR(r->k_to);
    Py_CLEAR(r->v_error);
}

/* ---- objects found again, for one document -------------------------- */

/* Open addressing, linear probing, at most half full; holds a reference
 * to each value. Keyed by pointer (len 0: ranges), or by the bytes a
 * pointer names (strings: the library copies a unit or a subject for each
 * metric, so equal text often sits at different addresses). */
typedef struct entry {
    const void *key;
    size_t len, hash;
    PyObject *val;
} entry;

typedef struct otab {
    entry *e;
    size_t mask, used;
} otab;

static size_t hash_ptr(const void *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull;
    return (size_t)(h ^ (h >> 29));
}

/* Eight bytes a step: sentences run to hundreds of bytes. */
static size_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = n * 0x9E3779B97F4A7C15ull, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    return (size_t)(h ^ (h >> 29));
}

static void otab_free(otab *t)
{
    for (size_t i = 0; t->e && i <= t->mask; i++)
        Py_XDECREF(t->e[i].val);
    PyMem_Free(t->e);
    memset(t, 0, sizeof *t);
}

static int otab_grow(otab *t)
{
    size_t cap = t->e ? (t->mask + 1) * 2 : 128;
    entry *e = PyMem_Calloc(cap, sizeof *e);
    if (!e) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t j = 0; t->e && j <= t->mask; j++) {
        if (!t->e[j].key)
            continue;
        size_t k = t->e[j].hash & (cap - 1);
        while (e[k].key)
            k = (k + 1) & (cap - 1);
        e[k] = t->e[j];
    }
    PyMem_Free(t->e);
    t->e = e;
    t->mask = cap - 1;
    return 0;
}

/* The entry of key (len 0: the pointer itself, else its len bytes), its
 * val NULL when new, to be set by the caller; NULL with MemoryError. */
static entry *otab_find(otab *t, const void *key, size_t len)
{
    if ((t->used + 1) * 2 > (t->e ? t->mask + 1 : 0) && otab_grow(t) < 0)
        return NULL;
    size_t h = len ? hash_bytes(key, len) : hash_ptr(key);
    size_t i = h & t->mask;
    for (; t->e[i].key; i = (i + 1) & t->mask) {
        entry *e = &t->e[i];
        if (e->key == key || (len && e->hash == h && e->len == len && memcmp(e->key, key, len) == 0))
            return e;
    }
    t->e[i] = (entry){key, len, h, NULL};
    t->used++;
    return &t->e[i];
}

/* ---- one document's build ----------------------------------------------- */

/* What a record holds for field k, to tell whether the next record's
 * value is the same: the pointer (a string, a list of them) or the number
 * it was made from, and the object itself (borrowed from the record, which
 * the result list holds). */
typedef struct slot {
    const void *key;
    long long num;
    PyObject *cur;
} slot;

typedef struct build {
    const zmpy_records *r;
    const zm_doc *d;
    otab strs;   /* short text => str */
    otab addrs;  /* a longer or repeating text's address => str */
    /* the metric's id: the document's name and '#' (written once, for
     * id_name), then the metric's number */
    char *id;
    size_t id_len;
    const char *id_name;
    slot *doc_slots, *metric_slots;
    /* the range last made into a dict (range_of), and that dict */
    const zm_date_range *last_range;
    PyObject *last_range_obj;
} build;

/* Strings up to this long are found again by their text (units, names,
 * dates: few and short, at many addresses); longer ones by their address,
 * without hashing their text. */
#define SHORT_STR 32

/* str_of's field argument for a string that is no field's value (a
 * range's, a section heading) */
#define NO_FIELD ((size_t)-1)

/* Which metric fields are worth looking up at all, learnt per Model: one
 * whose strings were found again fewer than one time in CACHE_MIN_HITS,
 * over its first CACHE_TRIES lookups (the metric's text, its subject), is
 * made directly from then on. It only decides sharing, never a value. */
#define CACHE_TRIES 256
#define CACHE_MIN_HITS 8

/* s as a str shared within the document (new reference); NULL is None.
 * k: the metric field it is the value of (NO_FIELD: none); a field flagged
 * ZM_FIELD_REPEATS is looked up by address only (the library repeats its
 * pointer). */
static PyObject *str_of(build *b, const char *s, size_t k)
{
    if (!s)
        return Py_NewRef(Py_None);
    size_t n = strlen(s);
    zmpy_cache_stat *st = k == NO_FIELD ? NULL : &b->r->metric_stats[k];
    if (st && st->tries >= CACHE_TRIES && st->hits * CACHE_MIN_HITS < st->tries)
        return zmpy_str(s, n);
    int by_addr = n > SHORT_STR || (k != NO_FIELD && (b->r->metric.info[k]->flags & ZM_FIELD_REPEATS));
    /* "" is compared as its NUL */
    entry *e = by_addr ? otab_find(&b->addrs, s, 0) : otab_find(&b->strs, s, n ? n : 1);
    if (!e)
        return NULL;
    if (st && st->tries < CACHE_TRIES) {
        st->tries++;
        st->hits += e->val != NULL;
    }
    if (!e->val && !(e->val = zmpy_str(s, n))) {
        /* keyed already: a value that is never handed out (the build
         * stops here) */
        e->val = Py_NewRef(Py_None);
        return NULL;
    }
    return Py_NewRef(e->val);
}

/* An exact decimal as json reads it with parse_float=Decimal: the
 * integer form -?[0-9]+ an int, anything else (fraction, exponent) a
 * Decimal of the same text. */
static PyObject *number_of(const char *s)
{
    const char *p = s + (*s == '-');
    size_t nd = 0;
    long long v = 0;
    while (p[nd] >= '0' && p[nd] <= '9')
        nd++;
    if (nd && !p[nd]) {
        if (nd > 18) /* beyond long long: Python's own parser */
            return PyLong_FromString(s, NULL, 10);
        for (size_t k = 0; k < nd; k++)
            v = v * 10 + (p[k] - '0');
        return PyLong_FromLongLong(p == s ? v : -v);
    }
    PyObject *dec = get_decimal();
    PyObject *text = dec ? PyUnicode_FromString(s) : NULL;
    PyObject *res = text ? PyObject_CallOneArg(dec, text) : NULL;
    Py_XDECREF(text);
    return res;
}

static PyObject *json_of(const char *s)
{
    PyObject *decode = get_json_decode();
    PyObject *text = decode ? PyUnicode_FromString(s) : NULL;
    PyObject *res = text ? PyObject_CallOneArg(decode, text) : NULL;
    Py_XDECREF(text);
    return res;
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* {"text", "from", "to"}: a new dict for each record, its strings shared.
 * Most metrics have the time of the one before (its sentence's, its
 * section's), in a struct of their own: a range equal to the last one
 * made is a copy of that dict, cheaper than a new one filled. */
static PyObject *range_of(build *b, const zm_date_range *rg)
{
    const zm_date_range *l = b->last_range;
    if (l && (l == rg || (same_text(l->text, rg->text) && strcmp(l->from, rg->from) == 0 &&
                          strcmp(l->to, rg->to) == 0)))
        return PyDict_Copy(b->last_range_obj);
    PyObject *o = PyDict_New(), *t = NULL, *f = NULL, *to = NULL;
    if (!o || !(t = str_of(b, rg->text, NO_FIELD)) || !(f = str_of(b, rg->from, NO_FIELD)) ||
        !(to = str_of(b, rg->to, NO_FIELD)) || PyDict_SetItem(o, b->r->k_text, t) < 0 ||
        PyDict_SetItem(o, b->r->k_from, f) < 0 || PyDict_SetItem(o, b->r->k_to, to) < 0)
        Py_CLEAR(o);
    Py_XDECREF(t);
    Py_XDECREF(f);
    Py_XDECREF(to);
    if (o) {
        /* its own reference: the record holding o may change its value */
        b->last_range = rg;
        Py_XSETREF(b->last_range_obj, Py_NewRef(o));
    }
    return o;
}

static PyObject *strings_of(build *b, const char *const *strs, size_t n)
{
    PyObject *l = PyList_New((Py_ssize_t)n);
    for (size_t k = 0; l && k < n; k++) {
        PyObject *s = str_of(b, strs[k], NO_FIELD);
        if (!s)
            Py_CLEAR(l);
        else
            PyList_SET_ITEM(l, (Py_ssize_t)k, s);
    }
    return l;
}

static PyObject *span_of(const size_t span[2])
{
    PyObject *a = PyLong_FromSize_t(span[0]), *z = a ? PyLong_FromSize_t(span[1]) : NULL;
    PyObject *l = z ? PyList_New(2) : NULL;
    if (!l) {
        Py_XDECREF(a);
        Py_XDECREF(z);
        return NULL;
    }
    PyList_SET_ITEM(l, 0, a);
    PyList_SET_ITEM(l, 1, z);
    return l;
}

/* "name#n" */
static PyObject *id_of(build *b, const char *name, long long n)
{
    size_t nl = strlen(name);
    if (name != b->id_name) {
        if (nl + 24 > b->id_len) {
            PyMem_Free(b->id);
            b->id_name = NULL;
            b->id_len = nl + 24;
            if (!(b->id = PyMem_Malloc(b->id_len))) {
                b->id_len = 0;
                return PyErr_NoMemory();
            }
        }
        memcpy(b->id, name, nl);
        b->id[nl] = '#';
        b->id_name = name;
    }
    char digits[24], *p = digits + sizeof digits;
    unsigned long long u = n < 0 ? 0 : (unsigned long long)n;
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10));
    size_t dl = (size_t)(digits + sizeof digits - p);
    memcpy(b->id + nl + 1, p, dl);
    return zmpy_str(b->id, nl + 1 + dl);
}

/* Sets the fields of o (a copy of the template, or of the previous record
 * when sl holds what that one was made from) to record i's values. A
 * field whose value is the same object, or is made from the same pointer
 * or number, is left as it is: most of a metric's fields are its
 * predecessor's (its document, kind, unit, sentence, nulls). Lists and
 * dicts are made anew for every record (a list copied when its pointer is
 * the same), so that no two records share a mutable value. 0, or -1 with
 * an exception set. */
static int fill(build *b, const zmpy_fields *fs, int record, size_t i, int explain, PyObject *o, slot *sl)
{
    zm_value v;
    for (size_t k = 0; k < fs->n; k++) {
        const zm_field *f = fs->info[k];
        slot *s = &sl[k];
        PyObject *val;
        const void *key = NULL;
        if (!explain && (f->flags & ZM_FIELD_EXPLAIN))
            continue; /* not in the record */
        zm_field_get(b->d, record, k, i, &v);
        if (v.is_null && f->type != ZM_FT_ID) {
            if (s->cur == Py_None)
                continue;
            val = Py_NewRef(Py_None);
        } else {
            switch (f->type) {
            case ZM_FT_STRING:
                if (v.str == s->key)
                    continue;
                /* the same text at another address (the library copies
                 * a unit, a kind for each metric): the record has it */
                if (v.str && s->key && strcmp(v.str, s->key) == 0) {
                    s->key = v.str;
                    continue;
                }
                val = str_of(b, v.str, record == ZM_RECORD_METRIC ? k : NO_FIELD);
                key = v.str;
                break;
            case ZM_FT_INT:
            case ZM_FT_BOOL:
                if (s->cur != Py_None && s->num == v.num)
                    continue;
                val = f->type == ZM_FT_INT ? PyLong_FromLongLong(v.num) : PyBool_FromLong(v.num != 0);
                s->num = v.num;
                break;
            case ZM_FT_NUMBER:
                val = number_of(v.str);
                break;
            case ZM_FT_JSON:
                val = json_of(v.str);
                break;
            case ZM_FT_ID:
                /* documents have no id: null, as emit_json writes */
                val = record == ZM_RECORD_METRIC && v.str ? id_of(b, v.str, v.num) : Py_NewRef(Py_None);
                break;
            case ZM_FT_RANGE:
                val = range_of(b, v.range);
                break;
            case ZM_FT_SPAN:
                val = span_of(v.span);
                break;
            case ZM_FT_STRINGS:
                /* the section path of the metric before (ZM_FIELD_REPEATS) */
                val = s->key == (const void *)v.strs && PyList_CheckExact(s->cur)
                          ? PyList_GetSlice(s->cur, 0, PY_SSIZE_T_MAX)
                          : strings_of(b, v.strs, v.nstrs);
                key = v.strs;
                break;
            default:
                PyErr_Format(PyExc_RuntimeError, "zhmetrics: field %s has a type this module does not know (%d)",
                             f->name, (int)f->type);
                return -1;
            }
            if (!val)
                return -1;
        }
        s->key = key;
        if (val == s->cur) { /* e.g. equal text at another address */
            Py_DECREF(val);
            continue;
        }
        int rc = PyDict_SetItem(o, fs->key[k], val);
        Py_DECREF(val); /* o holds it */
        if (rc < 0)
            return -1;
        s->cur = val;
    }
    return 0;
}

static PyObject *error_record(build *b, const char *msg)
{
    PyObject *o = PyDict_New(), *name = NULL, *err = NULL;
    if (!o || PyDict_SetItem(o, b->r->k_type, b->r->v_error) < 0 || !(name = str_of(b, zm_doc_name(b->d), NO_FIELD)) ||
        PyDict_SetItem(o, b->r->k_doc, name) < 0 || !(err = str_of(b, msg, NO_FIELD)) ||
        PyDict_SetItem(o, b->r->k_error, err) < 0)
        Py_CLEAR(o);
    Py_XDECREF(name);
    Py_XDECREF(err);
    return o;
}

/* As jsonl_records: explained when the first metric has its explain
 * fields. */
static int explained(const zmpy_records *r, const zm_doc *d)
{
    zm_value v;
    if (!zm_doc_metric_count(d))
        return 0;
    for (size_t k = 0; k < r->metric.n; k++) {
        if (!(r->metric.info[k]->flags & ZM_FIELD_EXPLAIN))
            continue;
        zm_field_get(d, ZM_RECORD_METRIC, k, 0, &v);
        if (!v.is_null)
            return 1;
    }
    return 0;
}

/* A copy of base with record i's fields (see fill). */
static PyObject *record_of(build *b, const zmpy_fields *fs, int record, size_t i, int explain, PyObject *base,
                           slot *sl)
{
    PyObject *o = PyDict_Copy(base);
    if (o && fill(b, fs, record, i, explain, o, sl) < 0)
        Py_CLEAR(o);
    return o;
}

PyObject *zmpy_records_of(const zmpy_records *r, const zm_doc *d)
{
    build b = {.r = r, .d = d};
    const char *err = zm_doc_error(d);
    size_t n = err ? 0 : zm_doc_metric_count(d);
    PyObject *list = PyList_New((Py_ssize_t)n + 1), *o;
    if (!list)
        return NULL;
    if (err) {
        if (!(o = error_record(&b, err)))
            goto fail;
        PyList_SET_ITEM(list, 0, o);
        goto done;
    }
    /* every field None, as in the templates */
    b.doc_slots = PyMem_Calloc(r->doc.n + r->metric.n + 1, sizeof *b.doc_slots);
    if (!b.doc_slots) {
        PyErr_NoMemory();
        goto fail;
    }
    b.metric_slots = b.doc_slots + r->doc.n;
    for (size_t k = 0; k < r->doc.n + r->metric.n; k++)
        b.doc_slots[k].cur = Py_None;
    /* doc_json writes every document field: explain's rule is the metrics' */
    if (!(o = record_of(&b, &r->doc, ZM_RECORD_DOCUMENT, 0, 1, r->doc.tmpl_explain, b.doc_slots)))
        goto fail;
    PyList_SET_ITEM(list, 0, o);
    int explain = explained(r, d);
    PyObject *base = explain ? r->metric.tmpl_explain : r->metric.tmpl;
    for (size_t i = 0; i < n; i++) {
        if (!(o = record_of(&b, &r->metric, ZM_RECORD_METRIC, i, explain, base, b.metric_slots)))
            goto fail;
        PyList_SET_ITEM(list, (Py_ssize_t)i + 1, o);
        base = o;
    }
    goto done;
fail:
    Py_CLEAR(list); /* the unset items are NULL, which the list skips */
done:
    otab_free(&b.strs);
    otab_free(&b.addrs);
    Py_XDECREF(b.last_range_obj);
    PyMem_Free(b.doc_slots);
    PyMem_Free(b.id);
    return list;
}
