# Fitting zhmetrics into its users' tools:
#   CLI outputs     --format csv, --sqlite, --html (src/cli/emit_{csv,sqlite,html}.c,
#                   linked into bin/zhmetrics only: the library stays free of
#                   SQLite)
#   libraries       lib/libzhmetrics.a (Makefile) and lib/libzhmetrics.so
#                   (PIC objects in $(BUILD)/pic, only the functions of
#                   include/zhmetrics.h exported), zhmetrics.pc at install
#   tests           make integration-test (tests/integration/, docs/integration.md)
# Included by the Makefile before BIN, LIB and LIB_OBJ are defined: paths
# are spelled out here, and prerequisites built from LIB_SRC are expanded
# late (.SECONDEXPANSION) so that sources added by later mk files count.

.DEFAULT_GOAL := all

LIBDIR ?= $(PREFIX)/lib
MANDIR ?= $(PREFIX)/share/man
ZM_VERSION := $(shell sed -n 's/^\#define ZM_VERSION "\(.*\)"/\1/p' include/zhmetrics.h)
SOVERSION = 0
SONAME = libzhmetrics.so.$(SOVERSION)
SHLIB = lib/libzhmetrics.so
SHLIB_REAL = lib/libzhmetrics.so.$(ZM_VERSION)

SQLITE_CFLAGS := $(shell pkg-config --cflags sqlite3 2>/dev/null)
SQLITE_LIBS := $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
override CFLAGS += $(SQLITE_CFLAGS)
LDLIBS += $(SQLITE_LIBS)

# CLI-only objects: the Makefile links them into bin/zhmetrics (CLI_OBJ), so
# the library itself needs no SQLite.
CLI_SRC = src/cli/main.c src/cli/options.c src/cli/inputs.c src/cli/pipeline.c src/cli/out_stream.c src/cli/sbuf.c src/cli/json_in.c src/cli/columns.c src/cli/emit_csv.c \
          src/cli/emit_sqlite.c src/cli/emit_html.c
# one CSV cell writer for the metric rows and the track rows
CLI_SRC += src/cli/csv_cell.c
CLI_OBJ = $(CLI_SRC:src/cli/%.c=$(BUILD)/cli/%.o)

all: $(SHLIB) lib/$(SONAME)
shared: $(SHLIB)

.SECONDEXPANSION:
$(SHLIB_REAL): $$(patsubst src/lib/%.c,$$(BUILD)/pic/%.o,$$(LIB_SRC)) $(BUILD)/zhmetrics.map | lib
	$(CC) -shared $(CFLAGS) $(LDFLAGS) -Wl,-soname,$(SONAME) -Wl,--version-script,$(BUILD)/zhmetrics.map \
	    -Wl,--no-undefined -o $@ $(filter %.o,$^) $(PKG_LIBS) -lm -lpthread

lib/$(SONAME) $(SHLIB): $(SHLIB_REAL)
	ln -sf $(notdir $<) $@

# -fno-semantic-interposition: the library's own calls stay direct and
# inlinable, as in the static archive (no user may interpose them: the map
# exports only the public functions); without it the shared library's
# extraction took 3% more instructions (callgrind, the Python package).
$(BUILD)/pic/%.o: src/lib/%.c $(wildcard src/lib/*.h) include/zhmetrics.h
	@mkdir -p $(BUILD)/pic
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LIB_INC) -fPIC -fno-semantic-interposition -c -o $@ $<

# Exported: the functions declared in the public header, nothing else.
$(BUILD)/zhmetrics.map: include/zhmetrics.h
	@mkdir -p $(BUILD)
	{ echo 'ZHMETRICS_0 {'; echo '  global:'; \
	  sed -n 's/^[^ /*#].*[ *]\(zm_[a-z0-9_]*\)(.*/    \1;/p' $<; \
	  echo '  local: *;'; echo '};'; } >$@

integration-test: all $(SHLIB) lib/$(SONAME)
	@bash tests/integration/run.sh

TEST_TARGETS += integration-test

.PHONY: shared integration-test
