"""zhmetrics: figures (counts, money, ratios, measures, durations) extracted
from Chinese policy reports, as Python dicts and pandas DataFrames.

    >>> import zhmetrics
    >>> model = zhmetrics.Model()                 # load once, share freely
    >>> doc, *metrics = model.extract("共投入资金2269万元。", name="a.txt")
    >>> metrics[0]["value"], metrics[0]["unit"]
    (22690000, '元')

Records are the library's own records, those its JSON Lines carry (docs/
and SPEC: the CLI writes the same ones), as plain dicts: a ``document``
record followed by its ``metric`` records, or one ``error`` record for an
input that is not usable text. They are built in C from the library's
field table, so nothing here knows the field names and records follow the
library's field set as it changes.

Exact values: numbers never go through float. A number the JSON Lines
write without a fraction or exponent (``22690000``) is an ``int``; any
other (``79.68``) a ``decimal.Decimal``, as ``json.loads(line,
parse_float=decimal.Decimal)`` reads them. Both are exact and compare
equal to the decimal the report wrote.

The model is read-only and may be used by any number of threads at once;
``extract`` releases the GIL while the C library works, so threads run on
separate cores.
"""

# Only what every use needs is imported here (start-up counts when a script
# extracts a few files): threads, dates and warnings on first use; decimal
# by the C records when a value has a fraction.
import os
import stat
import sys

# Lazy binding while the extension loads (as the CLI's own start): Python
# dlopens with RTLD_NOW, which resolves every symbol of the libraries the
# C library links (PDF, Word, HTML readers) before the first use, most of
# them never called; callgrind: 5 M instructions a start-up.
_dlopen_flags = sys.getdlopenflags()
try:
    sys.setdlopenflags((_dlopen_flags & ~os.RTLD_NOW) | os.RTLD_LAZY)
    from . import _core
finally:
    sys.setdlopenflags(_dlopen_flags)

__all__ = ["Model", "DictionaryError", "to_dataframe", "__version__"]

#: The C library's version (ZM_VERSION of the zhmetrics.h built against).
__version__ = _core.VERSION

# The C library's default --max-bytes: a larger file is not read (the same
# error record as the CLI's).
_MAX_BYTES = 64 << 20


class DictionaryError(Exception):
    """A dictionary or rule file is malformed.

    ``file`` is the path of the offending file and ``line`` its 1-based
    line number (either is None when the library could not say).
    """

    def __init__(self, message, file=None, line=None):
        super().__init__(message, file, line)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self):
        where = self.file or ""
        if self.line is not None:
            where = "%s:%d" % (where, self.line)
        return "%s: %s" % (where, self.message) if where else self.message


_core._set_dictionary_error(DictionaryError)


def _default_data_dir():
    """The dictionary directory used when Model() is given none, the way the
    CLI finds it: $ZHMETRICS_DATA, the source tree's dict/ when running from
    it (python/ beside dict/), else the installed share/zhmetrics/dict."""
    env = os.environ.get("ZHMETRICS_DATA")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    tree = os.path.join(here, os.pardir, os.pardir, "dict")
    if os.path.isfile(os.path.join(tree, "rules.tsv")):
        return os.path.normpath(tree)
    return _core.DATA_DIR


def _check_ref_date(ref_date):
    if ref_date is None:
        return None
    import datetime

    if isinstance(ref_date, datetime.datetime):
        ref_date = ref_date.date()
    if isinstance(ref_date, datetime.date):
        return ref_date.isoformat()
    if not isinstance(ref_date, str):
        raise ValueError("ref_date must be 'YYYY-MM-DD', a datetime.date or None, not %r" % (ref_date,))
    try:
        # YYYY-MM-DD only (fromisoformat alone also takes 20200101)
        digits = ref_date[:4] + ref_date[5:7] + ref_date[8:]
        if len(ref_date) != 10 or ref_date[4] + ref_date[7] != "--" or not (digits.isascii() and digits.isdigit()):
            raise ValueError
        datetime.date.fromisoformat(ref_date)
    except ValueError:
        raise ValueError("bad ref_date %r (YYYY-MM-DD, a day that exists)" % (ref_date,)) from None
    return ref_date


def _check_path_arg(what, value):
    if value is None:
        return None
    try:
        return os.fspath(value)
    except TypeError:
        raise ValueError("%s must be a path (str or os.PathLike), not %r" % (what, value)) from None


def _error_record(name, message):
    """The record the CLI writes for an input it could not read."""
    return {"type": "error", "doc": name, "error": message}


class Model(_core.Model):
    """Dictionaries and rules, loaded once; read-only and shared by threads.

    Model(data_dir=None, user_dict=None, lexicon=None)

    data_dir   the main dictionary directory (default: $ZHMETRICS_DATA, the
               source tree's dict/, else the installed one)
    user_dict  an extra dictionary directory whose files extend the main one
               (the CLI's --dict)
    lexicon    a general lexicon in jieba format; None = the Debian default,
               "" = none (the CLI's --lexicon)

    Raises DictionaryError (with file and line) for a malformed dictionary
    file, OSError when a directory or file cannot be read, ValueError for
    arguments of the wrong type.
    """

    def __init__(self, data_dir=None, user_dict=None, lexicon=None):
        data_dir = _check_path_arg("data_dir", data_dir)
        user_dict = _check_path_arg("user_dict", user_dict)
        lexicon = _check_path_arg("lexicon", lexicon)
        if lexicon and not os.access(lexicon, os.R_OK):
            # as the CLI: a lexicon named explicitly must be there
            raise FileNotFoundError(2, "lexicon cannot be read", lexicon)
        super().__init__(data_dir if data_dir is not None else _default_data_dir(), user_dict, lexicon)

    def extract(self, text, name="-", ref_date=None):
        """Extracts one document.

        text      str, or bytes in any encoding the library reads (UTF-8,
                  GB18030, UTF-16 with a BOM ...)
        name      the document's name in the records (the CLI's file name)
        ref_date  'YYYY-MM-DD' or a datetime.date overriding the document's
                  own reference date

        Returns a list of dicts: the document record then its metric
        records in order, or a single error record when the bytes are not
        usable text (as the CLI writes one). Raises ValueError for bad
        arguments, MemoryError when the library runs out of memory.
        """
        if isinstance(text, str):
            text = text.encode("utf-8")  # UnicodeEncodeError is a ValueError
        elif not isinstance(text, (bytes, bytearray, memoryview)):
            raise ValueError("text must be str or bytes, not %s" % type(text).__name__)
        if not isinstance(name, str):
            raise ValueError("name must be str, not %s" % type(name).__name__)
        if "\0" in name:
            raise ValueError("name must not contain NUL")
        return self._records(text, name, _check_ref_date(ref_date))

    def track(self, records, problems=None):
        """Target tracking (SPEC section 8, docs/tracking.md): each target
        beside the actual that answers it, as `zhmetrics track` pairs them.

        records   the records of extract()/extract_files() (dicts), or
                  their JSON lines (str), documents before their metrics,
                  in any document order
        problems  a list to which (record number, message) pairs are
                  appended for records left out (bad records, documents
                  without a region); when None, a bad record raises
                  ValueError (documents without a region are still only
                  left out)

        Returns the track records (dicts), by region, target document and
        place.
        """
        import decimal, json  # here, not at import: extraction needs neither
        # values are Decimals (exact): written back as JSON numbers
        lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False, default=float) for r in records]
        tracks, found = self.track_json(lines)
        if problems is not None:
            problems.extend(found)
        else:
            bad = [p for p in found if "no region" not in p[1]]
            if bad:
                raise ValueError("record %d: %s" % bad[0])
        decoder = json.JSONDecoder(parse_float=decimal.Decimal)
        return [decoder.decode(t) for t in tracks]

    def _records(self, data, name, ref_date):
        return self._extract(data, name, ref_date)

    def extract_files(self, paths, jobs=1, glob="*.txt", ref_date=None):
        """Extracts files and yields their records in input order, as the CLI.

        paths     a file or directory path, or an iterable of them;
                  directories are walked recursively in name order, taking
                  the files whose name matches glob (hidden names skipped)
        jobs      worker threads (1-256); the order of records never changes
        ref_date  as for extract()

        Yields dicts: each document's record then its metrics; an input that
        cannot be read (missing, not a regular file, over 64 MiB, not text)
        gives one error record and the rest go on.
        """
        if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= 256:
            raise ValueError("jobs must be an int from 1 to 256, not %r" % (jobs,))
        if not isinstance(glob, str) or not glob:
            raise ValueError("glob must be a non-empty str")
        ref_date = _check_ref_date(ref_date)
        if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
            paths = [paths]
        try:
            paths = [os.fsdecode(os.fspath(p)) for p in paths]
        except TypeError:
            raise ValueError("paths must be a path or an iterable of paths") from None
        return self._extract_files(paths, jobs, glob, ref_date)

    def _extract_files(self, paths, jobs, glob, ref_date):
        inputs = _walk_inputs(paths, glob)
        if jobs == 1:
            # Each record handed on by C (chain, map): no Python frame
            # resumed per record, only per file.
            import itertools

            return itertools.chain.from_iterable(map(self._run_input, inputs, itertools.repeat(ref_date)))
        return self._extract_parallel(inputs, jobs, ref_date)

    def _extract_parallel(self, inputs, jobs, ref_date):
        # A window of jobs in flight (as the CLI's, 8 per thread), handed
        # back in input order.
        import collections
        import concurrent.futures

        window = collections.deque()
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            try:
                for item in inputs:
                    window.append(pool.submit(self._run_input, item, ref_date))
                    if len(window) >= jobs * 8:
                        yield from window.popleft().result()
                while window:
                    yield from window.popleft().result()
            finally:
                for f in window:  # a generator closed early: drop the rest
                    f.cancel()

    def _run_input(self, item, ref_date):
        name, error = item
        if error:
            return [_error_record(name, error)]
        # read in C, the GIL released (the CLI's limits and messages)
        return self._extract_path(name, ref_date, _MAX_BYTES)


def _walk_inputs(paths, glob):
    """(name, preset error or None) for each input, in the CLI's order."""
    for p in paths:
        try:
            st = os.stat(p)
        except OSError as e:
            yield p, "cannot read: %s" % (e.strerror or e)
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk_dir(p, glob, [])
        else:
            yield p, None


def _walk_dir(d, glob, seen):
    try:
        st = os.stat(d)
        key = (st.st_dev, st.st_ino)
        if key in seen:
            # a symlink back to a directory being walked
            import warnings

            warnings.warn("%s: directory cycle, not followed" % d, RuntimeWarning, stacklevel=4)
            return
        seen = seen + [key]
    except OSError:
        pass
    try:
        # bytes compare as the CLI's strcmp does
        names = sorted((n for n in os.listdir(d) if not n.startswith(".")), key=os.fsencode)
    except OSError as e:
        yield d, "cannot read: directory cannot be listed: %s" % (e.strerror or e)
        return
    for n in names:
        path = d + n if d.endswith("/") else d + "/" + n
        try:
            st = os.stat(path)
        except OSError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            if len(seen) <= 64:
                yield from _walk_dir(path, glob, seen)
        elif _core.fnmatch(glob, n):
            if st is not None and not stat.S_ISREG(st.st_mode):
                # a fifo or device would block or never end
                yield path, "cannot read: not a regular file"
            else:
                yield path, None


def to_dataframe(records):
    """A pandas DataFrame of metric records, one row per metric.

    Each row holds the metric's fields, its document's fields joined on the
    document name (``doc``), nested objects flattened with dots
    (``time.from``, ``period.to``). A document field whose name a metric
    field already uses is prefixed ``document.``. Document and error records
    add no rows. Dates (``time.from``, ``time.to``, ``period.from``,
    ``period.to``, ``date``) are datetime64 columns (NaT when absent).
    Exact numbers: ``value`` and ``value_max`` are float64 columns, and
    ``value_exact`` / ``value_max_exact`` hold the exact decimal text
    (str, None when absent). Needs pandas (imported only here).
    """
    import pandas as pd

    docs = {}
    metric_rows = []
    for r in records:
        kind = r.get("type")
        if kind == "document":
            docs[r["doc"]] = _flatten({k: v for k, v in r.items() if k not in ("type", "doc")})
        elif kind == "metric":
            metric_rows.append(_flatten({k: v for k, v in r.items() if k != "type"}))
    mcols = _columns(metric_rows) or ["doc"]
    dcols = _columns(docs.values())
    names = mcols + [("document." + k if k in mcols else k) for k in dcols]
    joined = []
    for row in metric_rows:
        d = docs.get(row.get("doc"), {})
        joined.append([row.get(k) for k in mcols] + [d.get(k) for k in dcols])
    # object first: pandas must not turn an int column with a None into
    # floats before the exact text is taken
    df = pd.DataFrame(joined, columns=names, dtype=object)
    exact = {}
    for col in _EXACT_FIELDS:
        if col in df.columns:
            exact[col] = df[col].map(lambda v: None if v is None else str(v)).astype(object)
            df[col] = df[col].map(lambda v: float("nan") if v is None else float(v)).astype("float64")
    df = df.infer_objects()
    for col in df.columns:
        if _is_date_column(col):
            df[col] = _dates(pd, df[col])
    for col, text in exact.items():
        df.insert(df.columns.get_loc(col) + 1, col + "_exact", text)
    return df


def _columns(rows):
    """Column names in first-seen order; a name that is a nested object in
    some row (time: {...}) and null in others (time: null) keeps only its
    flattened columns (time.text, time.from, time.to)."""
    cols = list(dict.fromkeys(k for row in rows for k in row))
    nested = {k[:i] for k in cols for i, ch in enumerate(k) if ch == "."}
    return [k for k in cols if k not in nested]


# Fields carrying an exact decimal number in the records.
_EXACT_FIELDS = ("value", "value_max")


def _is_date_column(col):
    last = col.rsplit(".", 1)[-1]
    return last in ("from", "to", "date")


def _dates(pd, s):
    """YYYY-MM-DD strings as datetime64; a column holding a date outside
    datetime64[ns] (before 1677, after 2262) stays datetime.date objects
    rather than losing it."""
    try:
        return pd.to_datetime(s, format="%Y-%m-%d", errors="raise")
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        import datetime

        return s.map(lambda v: None if v is None else datetime.date.fromisoformat(v))


def _flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flatten(v, prefix + k + "."))
        else:
            out[prefix + k] = v
    return out
