/* zhmetrics._core: the CPython binding of the public C API (zhmetrics.h).
 *
 * Only what needs C lives here: loading a model and extracting one
 * document with the GIL released. Its records are handed back as dicts
 * built from the library's field table (_records.c), the same records,
 * field for field, as the library's JSON Lines: there is no field mapping
 * here. extract_json gives the JSON Lines text itself.
 *
 * Threads: a zm_model is read-only and shared; a zm_ctx is scratch state
 * for one extraction at a time. Each Model keeps a free list of contexts,
 * taken and returned while holding the GIL (so the list needs no lock of
 * its own); a context is used by one thread with the GIL released, and
 * the Model (referenced by the running call) outlives it.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zhmetrics.h>

#include "_records.h"
#include "_str.h"

#ifndef ZM_DATA_DIR
#define ZM_DATA_DIR "/usr/local/share/zhmetrics/dict"
#endif

/* Free contexts kept per Model: enough for the threads a notebook or a
 * pool uses; more concurrent calls make (and then free) extra ones. */
#define CTX_POOL_MAX 64

typedef struct {
    PyObject_HEAD
    zm_model *model;
    zm_ctx *pool[CTX_POOL_MAX];
    int npool;
    PyObject *data_dir; /* bytes: the dictionary directory (regions.tsv for track) */
    zmpy_records records; /* the field table's keys and record templates */
} ModelObject;

/* Set by module init from the Python layer: zhmetrics.DictionaryError. */
static PyObject *DictionaryError;

/* Raises the Python exception matching a failed zm_* call. */
static void raise_zm_error(const zm_error *err, const char *what)
{
    const char *msg = err->msg[0] ? err->msg : "unknown error";
    switch (err->code) {
    case ZM_E_NOMEM:
        PyErr_NoMemory();
        return;
    case ZM_E_DATA: {
        /* DictionaryError(message, file, line); "N" steals the new references */
        PyObject *exc_args = Py_BuildValue("(sNN)", msg,
                                           err->file[0] ? PyUnicode_DecodeFSDefault(err->file) : Py_NewRef(Py_None),
                                           err->line > 0 ? PyLong_FromLong(err->line) : Py_NewRef(Py_None));
        if (exc_args) {
            PyErr_SetObject(DictionaryError, exc_args);
            Py_DECREF(exc_args);
        }
        return;
    }
    case ZM_E_IO: {
        /* the library's message is strerror(errno): its errno again, so that
         * OSError picks FileNotFoundError, PermissionError ... */
        int eno = 0;
        for (int i = 1; i < 200 && !eno; i++)
            if (strcmp(strerror(i), msg) == 0)
                eno = i;
        if (!eno) {
            PyErr_Format(PyExc_OSError, "%s: %s", err->file[0] ? err->file : what, msg);
            return;
        }
        PyObject *fn = err->file[0] ? PyUnicode_DecodeFSDefault(err->file) : Py_NewRef(Py_None);
        PyObject *e = fn ? Py_BuildValue("(isO)", eno, msg, fn) : NULL;
        Py_XDECREF(fn);
        if (e) {
            PyErr_SetObject(PyExc_OSError, e);
            Py_DECREF(e);
        }
        return;
    }
    case ZM_E_USAGE:
        PyErr_Format(PyExc_ValueError, "%s: %s", what, msg);
        return;
    default:
        PyErr_Format(PyExc_RuntimeError, "%s: %s (code %d)", what, msg, err->code);
    }
}

/* ---- Model ---------------------------------------------------------------- */

/* PyUnicode_FSConverter that also takes None (left NULL: the default). */
static int fs_or_none(PyObject *o, void *addr)
{
    if (o == Py_None) {
        *(PyObject **)addr = NULL;
        return 1;
    }
    return PyUnicode_FSConverter(o, addr);
}

static int Model_init(ModelObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"data_dir", "user_dict", "lexicon", NULL};
    PyObject *data_dir = NULL, *user_dict = NULL, *lexicon = NULL; /* bytes (fs-encoded) or NULL */
    if (self->model) {
        PyErr_SetString(PyExc_RuntimeError, "Model is already loaded");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|O&O&:Model", kwlist, PyUnicode_FSConverter, &data_dir,
                                     fs_or_none, &user_dict, fs_or_none, &lexicon))
        return -1;
    /* cache_dir left NULL: the default cache, as the CLI's */
    zm_model_options mo = {.user_dict_dir = user_dict ? PyBytes_AS_STRING(user_dict) : NULL,
                           .general_lexicon = lexicon ? PyBytes_AS_STRING(lexicon) : NULL};
    zm_error err = {0};
    zm_model *m;
    /* loading reads and parses dictionaries: other threads may run meanwhile */
    Py_BEGIN_ALLOW_THREADS
    m = zm_model_load(PyBytes_AS_STRING(data_dir), &mo, &err);
    Py_END_ALLOW_THREADS
    if (!m)
        raise_zm_error(&err, PyBytes_AS_STRING(data_dir));
    else if (zmpy_records_init(&self->records) < 0) {
        zm_model_free(m);
        m = NULL;
    }
    self->model = m;
    Py_XSETREF(self->data_dir, data_dir);
    Py_XDECREF(user_dict);
    Py_XDECREF(lexicon);
    return m ? 0 : -1;
}

static void Model_dealloc(ModelObject *self)
{
    for (int i = 0; i < self->npool; i++)
        zm_ctx_free(self->pool[i]);
    self->npool = 0;
    zm_model_free(self->model);
    self->model = NULL;
    zmpy_records_clear(&self->records);
    Py_CLEAR(self->data_dir);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* The records as one JSON array, in place in the buffer zm_doc_append
 * filled after a '[': each '\n' ending a record becomes ',' and the last
 * one ']', so that one json decode call reads them all. JSON Lines never
 * hold a raw newline inside a record (strings escape it). Returns 0, or -1
 * when the text is not records ending in '\n'. */
static int jsonl_to_array(char *buf, size_t len)
{
    if (len < 2 || buf[0] != '[' || buf[len - 1] != '\n')
        return -1;
    for (char *p = buf + 1, *end = buf + len - 1; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        *p = ',';
    buf[len - 1] = ']';
    return 0;
}

/* One extraction, the GIL released while it runs. With json, the records
 * are also serialised there into *json (a JSON array, malloc'd, *json_len
 * bytes). Returns the document (caller frees), or NULL with an exception
 * set. */
static zm_doc *extract_doc(ModelObject *self, const char *bytes, size_t nbytes, const char *name, const char *ref_date,
                           int explain, char **json, size_t *json_len)
{
    if (!self->model) {
        PyErr_SetString(PyExc_ValueError, "Model is not loaded");
        return NULL;
    }
    zm_ctx *c = self->npool ? self->pool[--self->npool] : zm_ctx_new(self->model);
    size_t cap = 4096, len = 1;
    char *buf = c && json ? malloc(cap) : NULL;
    if (!c || (json && !buf)) {
        zm_ctx_free(c);
        PyErr_NoMemory();
        return NULL;
    }
    if (buf)
        buf[0] = '[';
    zm_doc_options opt = {0};
    opt.ref_date = ref_date;
    opt.explain = explain;
    zm_doc *d = NULL;
    zm_error err = {0};
    int wrc = 0;
    /* name, ref_date and the bytes stay valid: the caller holds them */
    Py_BEGIN_ALLOW_THREADS
    /* ZM_E_INPUT/ZM_E_LIMIT still give a document: an error record */
    zm_extract(c, name, bytes, nbytes, &opt, &d, &err);
    if (d && buf) {
        wrc = zm_doc_append(d, ZM_FORMAT_JSONL, &buf, &len, &cap);
        if (wrc == 0 && jsonl_to_array(buf, len) != 0)
            wrc = ZM_E_DATA;
    }
    Py_END_ALLOW_THREADS
    if (self->npool < CTX_POOL_MAX)
        self->pool[self->npool++] = c;
    else
        zm_ctx_free(c);

    if (!d) /* no document at all: the call itself failed */
        raise_zm_error(&err, name);
    else if (wrc == ZM_E_NOMEM)
        PyErr_NoMemory();
    else if (wrc != 0)
        PyErr_Format(PyExc_RuntimeError, "%s: serialising the records failed (code %d)", name, wrc);
    if (!d || wrc) {
        zm_doc_free(d);
        free(buf);
        return NULL;
    }
    if (json) {
        *json = buf;
        *json_len = len;
    }
    return d;
}

PyDoc_STRVAR(Model_extract_records_doc,
             "_extract(data: bytes, name: str, ref_date: str | None, explain: bool = False) -> list[dict]\n\n"
             "Extracts one document and returns its records as dicts, built from\n"
             "the library's field table: the records of its JSON Lines, as\n"
             "json.loads(line, parse_float=decimal.Decimal) reads them. explain adds\n"
             "each metric's provenance (the CLI's --explain; internal, for tests).\n"
             "No argument checks beyond types: use Model.extract().");

static PyObject *Model_extract_records(ModelObject *self, PyObject *args)
{
    Py_buffer data;
    const char *name, *ref_date = NULL;
    int explain = 0;
    if (!PyArg_ParseTuple(args, "y*s|zp:_extract", &data, &name, &ref_date, &explain))
        return NULL;
    zm_doc *d = extract_doc(self, data.buf, (size_t)data.len, name, ref_date, explain, NULL, NULL);
    PyBuffer_Release(&data);
    PyObject *res = d ? zmpy_records_of(&self->records, d) : NULL;
    zm_doc_free(d);
    return res;
}

/* The bytes of path, at most max + 1 of them (a file that grew, a
 * device), as extract_files reads an input (the CLI's rules and
 * messages): NULL with *msg set (into msgbuf) when it cannot be read or is
 * over max. Called without the GIL. */
static char *read_input(const char *path, size_t max, size_t *len, char *msgbuf, size_t msgsz, const char **msg)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(msgbuf, msgsz, "cannot read: %s", strerror(errno));
        *msg = msgbuf;
        return NULL;
    }
    if (st.st_size > 0 && (unsigned long long)st.st_size > max) {
        snprintf(msgbuf, msgsz, "limit: document is %lld bytes, over --max-bytes %zu", (long long)st.st_size, max);
        *msg = msgbuf;
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(msgbuf, msgsz, "cannot read: %s", strerror(errno));
        *msg = msgbuf;
        return NULL;
    }
    /* its size and one byte more (EOF seen at once), then on in pieces */
    size_t cap = (size_t)(st.st_size > 0 ? st.st_size : 0) + 1, n = 0;
    if (cap > max + 1)
        cap = max + 1;
    char *buf = malloc(cap);
    int eno = buf ? 0 : ENOMEM;
    while (buf && n <= max) {
        if (n == cap) {
            size_t ncap = cap + (cap < (1u << 20) ? cap : (1u << 20));
            if (ncap > max + 1)
                ncap = max + 1;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                eno = ENOMEM;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            eno = errno;
            break;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (eno) {
        free(buf);
        snprintf(msgbuf, msgsz, "cannot read: %s", strerror(eno));
        *msg = msgbuf;
        return NULL;
    }
    if (n > max) {
        free(buf);
        snprintf(msgbuf, msgsz, "limit: document is over --max-bytes %zu", max);
        *msg = msgbuf;
        return NULL;
    }
    *len = n;
    return buf;
}

PyDoc_STRVAR(Model_extract_path_doc,
             "_extract_path(path: str, ref_date: str | None, max_bytes: int) -> list[dict]\n\n"
             "Reads one input of extract_files (the file at path, at most max_bytes) and\n"
             "returns its records, or its error record when it cannot be read or is over\n"
             "max_bytes (the CLI's messages). Internal: use Model.extract_files().");

static PyObject *Model_extract_path(ModelObject *self, PyObject *args)
{
    PyObject *path;
    const char *ref_date = NULL;
    Py_ssize_t max;
    if (!PyArg_ParseTuple(args, "Uzn:_extract_path", &path, &ref_date, &max))
        return NULL;
    const char *name = PyUnicode_AsUTF8(path);
    PyObject *fs = NULL;
    if (!name || !PyUnicode_FSConverter(path, &fs))
        return NULL;
    char msgbuf[512];
    const char *msg = NULL;
    size_t len = 0;
    char *data;
    Py_BEGIN_ALLOW_THREADS
    data = read_input(PyBytes_AS_STRING(fs), max < 0 ? 0 : (size_t)max, &len, msgbuf, sizeof msgbuf, &msg);
    Py_END_ALLOW_THREADS
    Py_DECREF(fs);
    zm_doc *d = data ? extract_doc(self, data, len, name, ref_date, 0, NULL, NULL) : zm_doc_new_error(name, msg);
    free(data);
    if (!d) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        return NULL;
    }
    PyObject *res = zmpy_records_of(&self->records, d);
    zm_doc_free(d);
    return res;
}

PyDoc_STRVAR(Model_extract_json_doc,
             "extract_json(data: bytes, name: str, ref_date: str | None) -> str\n\n"
             "Extracts one document and returns its JSON Lines records, exactly as\n"
             "the library writes them, as one JSON array (str): the way round the\n"
             "dicts of Model.extract() when they are not needed.\n"
             "No argument checks beyond types: use Model.extract().");

static PyObject *Model_extract_json(ModelObject *self, PyObject *args)
{
    Py_buffer data;
    const char *name, *ref_date = NULL;
    if (!PyArg_ParseTuple(args, "y*s|z:extract_json", &data, &name, &ref_date))
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    zm_doc *d = extract_doc(self, data.buf, (size_t)data.len, name, ref_date, 0, &buf, &len);
    PyBuffer_Release(&data);
    PyObject *res = d ? PyUnicode_DecodeUTF8(buf, (Py_ssize_t)len, "strict") : NULL;
    zm_doc_free(d);
    free(buf);
    return res;
}

static PyObject *Model_lexicon_size(ModelObject *self, void *closure)
{
    (void)closure;
    return PyLong_FromSize_t(self->model ? zm_model_lexicon_size(self->model) : 0);
}

static int add_track_out(const zm_track *tr, void *arg)
{
    char *j = zm_track_json(tr);
    PyObject *s = j ? PyUnicode_FromString(j) : NULL;
    free(j);
    int rc = s ? PyList_Append((PyObject *)arg, s) : -1;
    Py_XDECREF(s);
    return rc ? -1 : 0;
}

PyDoc_STRVAR(Model_track_json_doc,
             "track_json(lines) -> (tracks, problems): the track records (JSON text, SPEC section 8) of the\n"
             "record lines (str, as zhmetrics writes them); problems lists (line number, message) for the\n"
             "lines left out (bad records, documents without a region).");

static PyObject *Model_track_json(ModelObject *self, PyObject *args)
{
    PyObject *seq;
    if (!PyArg_ParseTuple(args, "O:track_json", &seq))
        return NULL;
    PyObject *fast = PySequence_Fast(seq, "lines must be a sequence of str");
    if (!fast)
        return NULL;
    zm_error err = {0};
    zm_tracker *t = zm_tracker_new(self->model, self->data_dir ? PyBytes_AS_STRING(self->data_dir) : NULL, &err);
    if (!t) {
        Py_DECREF(fast);
        raise_zm_error(&err, "regions.tsv");
        return NULL;
    }
    PyObject *tracks = PyList_New(0), *problems = PyList_New(0);
    int failed = !tracks || !problems;
    char msg[600];
    for (Py_ssize_t i = 0; !failed && i < PySequence_Fast_GET_SIZE(fast); i++) {
        Py_ssize_t n;
        const char *line = PyUnicode_AsUTF8AndSize(PySequence_Fast_GET_ITEM(fast, i), &n);
        if (!line) {
            failed = 1;
            break;
        }
        int rc = zm_tracker_add_record(t, line, (size_t)n, msg, sizeof msg);
        if (rc == ZM_E_NOMEM) {
            PyErr_NoMemory();
            failed = 1;
        } else if (rc == ZM_E_INPUT || rc == ZM_TRACK_NO_REGION) {
            PyObject *p = Py_BuildValue("(ns)", i + 1, msg);
            failed = !p || PyList_Append(problems, p) != 0;
            Py_XDECREF(p);
        }
    }
    if (!failed && zm_tracker_finish(t, add_track_out, tracks)) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        failed = 1;
    }
    zm_tracker_free(t);
    Py_DECREF(fast);
    if (failed) {
        Py_XDECREF(tracks);
        Py_XDECREF(problems);
        return NULL;
    }
    return Py_BuildValue("(NN)", tracks, problems);
}

static PyMethodDef Model_methods[] = {
    {"_extract", (PyCFunction)Model_extract_records, METH_VARARGS, Model_extract_records_doc},
    {"_extract_path", (PyCFunction)Model_extract_path, METH_VARARGS, Model_extract_path_doc},
    {"extract_json", (PyCFunction)Model_extract_json, METH_VARARGS, Model_extract_json_doc},
    {"track_json", (PyCFunction)Model_track_json, METH_VARARGS, Model_track_json_doc},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef Model_getset[] = {
    {"lexicon_size", (getter)Model_lexicon_size, NULL, "Number of words in the lexicon (general + domain).", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject ModelType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "zhmetrics._core.Model",
    .tp_doc = PyDoc_STR("Model(data_dir, user_dict=None, lexicon=None): loaded dictionaries and rules (read-only).\n"
                        "Internal base of zhmetrics.Model."),
    .tp_basicsize = sizeof(ModelObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Model_init,
    .tp_dealloc = (destructor)Model_dealloc,
    .tp_methods = Model_methods,
    .tp_getset = Model_getset,
};

/* ---- module --------------------------------------------------------------- */

PyDoc_STRVAR(fnmatch_doc, "fnmatch(pattern: str, name: str) -> bool\n\n"
                          "libc fnmatch(3) with no flags, as the CLI's --glob matches file names.");

static PyObject *core_fnmatch(PyObject *mod, PyObject *args)
{
    (void)mod;
    PyObject *pat, *name;
    if (!PyArg_ParseTuple(args, "O&O&:fnmatch", PyUnicode_FSConverter, &pat, PyUnicode_FSConverter, &name))
        return NULL;
    int r = fnmatch(PyBytes_AS_STRING(pat), PyBytes_AS_STRING(name), 0);
    Py_DECREF(pat);
    Py_DECREF(name);
    return PyBool_FromLong(r == 0);
}

PyDoc_STRVAR(set_dictionary_error_doc, "Internal: the exception class raised for malformed dictionaries.");

static PyObject *core_set_dictionary_error(PyObject *mod, PyObject *cls)
{
    (void)mod;
    if (!PyType_Check(cls) || !PyType_IsSubtype((PyTypeObject *)cls, (PyTypeObject *)PyExc_Exception)) {
        PyErr_SetString(PyExc_TypeError, "an exception class is needed");
        return NULL;
    }
    Py_INCREF(cls);
    Py_XSETREF(DictionaryError, cls);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(utf8_str_doc, "_utf8_str(data: bytes) -> str\n\n"
                            "Internal, for tests: the str the records make of UTF-8 bytes (_str.c),\n"
                            "to be equal to data.decode('utf-8') and to raise as it does.");

static PyObject *core_utf8_str(PyObject *mod, PyObject *arg)
{
    (void)mod;
    char *s;
    Py_ssize_t n;
    if (PyBytes_AsStringAndSize(arg, &s, &n) < 0)
        return NULL;
    return zmpy_str(s, (size_t)n);
}

static PyMethodDef core_methods[] = {
    {"fnmatch", core_fnmatch, METH_VARARGS, fnmatch_doc},
    {"_set_dictionary_error", core_set_dictionary_error, METH_O, set_dictionary_error_doc},
    {"_utf8_str", core_utf8_str, METH_O, utf8_str_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT, .m_name = "zhmetrics._core",
    .m_doc = "C binding of libzhmetrics (include/zhmetrics.h); see the zhmetrics package.", .m_size = -1,
    .m_methods = core_methods,
};

PyMODINIT_FUNC PyInit__core(void)
{
    if (PyType_Ready(&ModelType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&core_module);
    if (!m)
        return NULL;
    /* until the package sets its own subclass */
    if (!DictionaryError)
        DictionaryError = Py_NewRef(PyExc_ValueError);
    Py_INCREF(&ModelType);
    if (PyModule_AddObject(m, "Model", (PyObject *)&ModelType) < 0 ||
        PyModule_AddStringConstant(m, "VERSION", ZM_VERSION) < 0 ||
        PyModule_AddStringConstant(m, "DATA_DIR", ZM_DATA_DIR) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
