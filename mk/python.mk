# The Python package (python/zhmetrics/: _core.c over include/zhmetrics.h,
# the rest in Python). Built with Debian's /usr/bin/python3 and its
# python3-dev headers (scripts/install-deps.sh python), nothing else.
#   make python           python/zhmetrics/_core*.so in place, linked to
#                         lib/libzhmetrics.so (rpath $ORIGIN/../../lib), so
#                         that PYTHONPATH=python python3 -c 'import zhmetrics'
#                         works from the repository root
#   make python-test      tests/python/ under pytest (part of `make test`;
#                         skips, saying why, when the Debian packages cannot
#                         be installed)
#   make install-python   `make install`, then the package into
#                         PYTHON_SITEDIR (default PREFIX/lib/pythonX.Y/
#                         dist-packages, on Debian's sys.path), linked with
#                         rpath LIBDIR
#   make bench-python     the package against the CLI: whole-process wall
#                         time and callgrind instructions on corpus/ and
#                         tests/docs/ x50, extract() on two threads
#                         (scripts/bench.d/python, docs/python.md; run by
#                         make bench; skips, saying why, without python3-dev)
#   make check-asan-python  tests/python/ against the extension and the
#                         library built with ASan+UBSan (build-asan-py/), in
#                         the stock interpreter with libasan preloaded; part
#                         of `make check-asan` (leaks: see below)
# Included by the Makefile after its variables, before BIN is set.

# Debian's interpreter: a pyenv python3 first on PATH has no python3-dev
# headers of its own and no Debian packages (pytest, pandas).
PYTHON ?= $(firstword $(wildcard /usr/bin/python3) python3)
PY_CONFIG = $(PYTHON) -c 'import sysconfig as s; print(s.get_paths()["include"], s.get_config_var("EXT_SUFFIX"), s.get_python_version())'
PY_CONF := $(shell $(PY_CONFIG) 2>/dev/null)
PY_INCLUDE = $(word 1,$(PY_CONF))
PY_EXT_SUFFIX = $(or $(word 2,$(PY_CONF)),.so)
PY_VERSION = $(word 3,$(PY_CONF))
PYTHON_SITEDIR ?= $(PREFIX)/lib/python$(PY_VERSION)/dist-packages

PY_PKG = python/zhmetrics
PY_EXT = $(PY_PKG)/_core$(PY_EXT_SUFFIX)
# The extension's C: the binding, the records built from the field table,
# and their strings made from UTF-8.
PY_SRCS = $(PY_PKG)/_core.c $(PY_PKG)/_records.c $(PY_PKG)/_str.c
PY_FILES = $(PY_PKG)/__init__.py $(PY_PKG)/__init__.pyi $(PY_PKG)/py.typed
# Only the public header: -Iinclude, never -Isrc.
PY_EXT_CFLAGS = -std=c11 -O2 -g -Wall -Wextra -Werror -fPIC -fvisibility=hidden -Iinclude -I$(PY_INCLUDE) \
	-DZM_DATA_DIR='"$(DATADIR)"'

.PHONY: python python-test install-python check-asan-python bench-python

python: $(PY_EXT)

$(PY_EXT): $(PY_SRCS) $(PY_PKG)/_records.h $(PY_PKG)/_str.h include/zhmetrics.h lib/$(SONAME) $(SHLIB)
	@test -f "$(PY_INCLUDE)/Python.h" || { echo "make python: no Python.h for $(PYTHON) (scripts/install-deps.sh python)" >&2; exit 1; }
	$(CC) -shared $(PY_EXT_CFLAGS) -o $@ $(PY_SRCS) -Llib -lzhmetrics -Wl,-rpath,'$$ORIGIN/../../lib'

# pytest over tests/python/; ZM names the CLI the records are compared with.
PY_TEST_ENV = ZHMETRICS_DATA=$(CURDIR)/dict ZM=$${ZM:-$(CURDIR)/bin/zhmetrics} ZHMETRICS_CACHE=$(CURDIR)/$(BUILD)/cache \
	PYTHONDONTWRITEBYTECODE=1
PY_TEST = $(PYTHON) -m pytest -q -p no:cacheprovider tests/python
# The library and CLI as prerequisites (built once, by this make, also under
# -j); the extension only once its headers are known to be there.
python-test: bin/zhmetrics lib/$(SONAME) $(SHLIB)
	@if ! scripts/install-deps.sh python >/dev/null 2>&1 || ! $(PYTHON) -c 'import pytest' 2>/dev/null; then \
	    echo "python-test: SKIPPED: the Debian packages of 'scripts/install-deps.sh python' cannot be installed here"; \
	    exit 0; fi; \
	$(MAKE) --no-print-directory $(PY_EXT) && \
	PYTHONPATH=$(CURDIR)/python $(PY_TEST_ENV) $(PY_TEST)

TEST_TARGETS += python-test

# BENCH_PYTHON_ARGS="--quick" for a smoke run, "--no-callgrind" without valgrind
BENCH_PYTHON_ARGS ?=
bench-python: bin/zhmetrics
	@if ! test -f "$(PY_INCLUDE)/Python.h"; then \
	    echo "bench-python: SKIPPED: no Python.h for $(PYTHON) (scripts/install-deps.sh python)"; exit 0; fi; \
	$(MAKE) --no-print-directory $(PY_EXT) && \
	{ $(PYTHON) scripts/bench.d/python --bin bin/zhmetrics $(BENCH_PYTHON_ARGS) || [ $$? -eq 2 ]; }

install-python: install
	@scripts/install-deps.sh python
	@mkdir -p $(BUILD)/python-install
	$(CC) -shared $(PY_EXT_CFLAGS) -o $(BUILD)/python-install/_core$(PY_EXT_SUFFIX) $(PY_SRCS) \
	    -Llib -lzhmetrics -Wl,-rpath,$(LIBDIR)
	install -d $(DESTDIR)$(PYTHON_SITEDIR)/zhmetrics
	install -m 644 $(PY_FILES) $(DESTDIR)$(PYTHON_SITEDIR)/zhmetrics/
	install -m 755 $(BUILD)/python-install/_core$(PY_EXT_SUFFIX) $(DESTDIR)$(PYTHON_SITEDIR)/zhmetrics/

# ---- sanitizers ---------------------------------------------------------
# The library again with ASan+UBSan and -fPIC (its own build directory: the
# build-asan/ objects are not PIC), linked statically into an ASan build of
# the extension, and all of tests/python/ run against it in Debian's
# interpreter with libasan preloaded (the interpreter is not instrumented).
# PYTHONMALLOC=malloc lets ASan see the Python objects the extension makes;
# --capture=sys leaves file descriptor 2 alone, so that a sanitizer's report
# (written there just before the process ends) is seen.
# Leak checking is off here: the stock interpreter leaves ~200 KB of its own
# objects unfreed at exit, in frames LSan cannot tell apart from ours (no
# frame pointers in python3.11). Leaks are caught by tests/python/test_leak.py
# (RSS flat over 10,000 calls, in make test) and, for the library, by
# check-asan's unit and CLI runs with LSan on.
PY_ASAN_BUILD ?= build-asan-py
PY_ASAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
PY_ASAN_LIB = $(PY_ASAN_BUILD)/libzhmetrics.a
PY_ASAN_PKG = $(PY_ASAN_BUILD)/python/zhmetrics
check-asan-python:
	@scripts/install-deps.sh python
	@$(MAKE) --no-print-directory BUILD=$(PY_ASAN_BUILD) LIB=$(PY_ASAN_LIB) \
	    ZM_SANITIZE="-O1 -fPIC $(PY_ASAN_FLAGS)" $(PY_ASAN_LIB)
	@$(MAKE) --no-print-directory bin/zhmetrics
	@mkdir -p $(PY_ASAN_PKG)
	$(CC) -shared $(PY_EXT_CFLAGS) -O1 $(PY_ASAN_FLAGS) -o $(PY_ASAN_PKG)/_core$(PY_EXT_SUFFIX) $(PY_SRCS) \
	    $(PY_ASAN_LIB) $(PKG_LIBS) -lm -lpthread -Wl,--exclude-libs,ALL
	ln -sf $(CURDIR)/$(PY_PKG)/__init__.py $(PY_ASAN_PKG)/__init__.py
	PYTHONPATH=$(CURDIR)/$(PY_ASAN_BUILD)/python $(PY_TEST_ENV) ZM_PY_ASAN=1 PYTHONMALLOC=malloc \
	    LD_PRELOAD=$$($(CC) -print-file-name=libasan.so) \
	    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(PY_TEST) --capture=sys
	@echo "check-asan-python: the Python tests clean under ASan+UBSan"

check-asan: check-asan-python

clean: clean-python
clean-python:
	rm -f $(PY_PKG)/_core*.so
.PHONY: clean-python
