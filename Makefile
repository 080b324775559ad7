# zhmetrics: GNU make build.
#   make          build bin/zhmetrics and lib/libzhmetrics.a
#   make run      extract the sample corpus to stdout
#   make test     unit, CLI, bad-input and corpus-quality tests
#   make install  PREFIX=/usr/local DESTDIR=
.DEFAULT_GOAL := all
PREFIX ?= /usr/local
DESTDIR ?=
DATADIR = $(PREFIX)/share/zhmetrics/dict

CC ?= cc
PKGS = libpcre2-8 libcjson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS ?= -O3 -g
# override: a CFLAGS given on the command line (make CFLAGS=-O2) replaces the
# optimisation flags, not the flags the build needs
# -Wno-missing-field-initializers: option structs grow at their end and a
# shorter initializer zeroes the new members (include/zhmetrics.h)
override CFLAGS += -std=c11 -Wall -Wextra -Werror -Wno-missing-field-initializers -Iinclude $(PKG_CFLAGS)
CPPFLAGS += -DZM_DATA_DIR='"$(DATADIR)"'
LDLIBS += $(PKG_LIBS) -lm -lpthread

# The library (src/lib/) and the command line (src/cli/, mk/integrate.mk)
# are built apart: library sources see their own headers (-Isrc/lib), CLI
# sources only include/zhmetrics.h and theirs (-Isrc/cli); tests/arch checks it.
LIB_INC = -Isrc/lib
CLI_INC = -Isrc/cli
LIB_SRC = src/lib/names.c src/lib/util.c src/lib/utf8.c src/lib/decode.c src/lib/unwrap.c src/lib/norm.c src/lib/tsv.c \
          src/lib/lexicon.c src/lib/seg.c src/lib/numex.c src/lib/rules.c src/lib/model.c src/lib/cues.c \
          src/lib/words.c src/lib/timex.c src/lib/structure.c src/lib/docinfo.c src/lib/resolve.c \
          src/lib/enrich.c src/lib/explain.c src/lib/extract.c src/lib/doc.c src/lib/fields.c src/lib/emit_json.c
BUILD ?= build

# Feature makefiles (mk/*.mk) may add sources, flags and targets.
-include $(sort $(wildcard mk/*.mk))

LIB_OBJ = $(LIB_SRC:src/lib/%.c=$(BUILD)/%.o)
LIB = lib/libzhmetrics.a
BIN = bin/zhmetrics

.PHONY: all run test check unit-test cli-test corpus-test deps clean install bench eval
all: $(BIN)

$(BUILD)/%.o: src/lib/%.c $(wildcard src/lib/*.h) include/zhmetrics.h | $(BUILD)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LIB_INC) -c -o $@ $<

$(BUILD)/cli/%.o: src/cli/%.c $(wildcard src/cli/*.h) include/zhmetrics.h
	@mkdir -p $(BUILD)/cli
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CLI_INC) -c -o $@ $<

$(BUILD) bin lib:
	mkdir -p $@

$(LIB): $(LIB_OBJ) | lib
	rm -f $@
	ar rcs $@ $^

# CLI_OBJ: objects only the command line needs (output writers, from mk/)
$(BIN): $(CLI_OBJ) $(LIB) | bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(LDLIBS)

deps:
	@scripts/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	$(BIN) corpus/*.txt

# ---- tests ----
UNIT_TESTS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

# CLI modules with unit tests of their own
CLI_TEST_OBJ = $(BUILD)/cli/json_in.o
$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(CLI_TEST_OBJ) | $(BUILD)
	@mkdir -p $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LIB_INC) $(CLI_INC) -DZM_SOURCE_DIR='"$(CURDIR)"' -o $@ $< $(CLI_TEST_OBJ) $(LIB) $(LDLIBS) -lcmocka

unit-test: $(UNIT_TESTS)
	@for t in $(UNIT_TESTS); do echo "== $$t"; $$t || exit 1; done

cli-test: $(BIN)
	@for t in tests/cli/*.sh; do echo "== $$t"; bash $$t || exit 1; done

corpus-test: $(BIN)
	scripts/check-quality

# mk/*.mk files append their suites to TEST_TARGETS
TEST_TARGETS += unit-test cli-test corpus-test

test: deps
	@$(MAKE) --no-print-directory all $(TEST_TARGETS)
	@echo "all tests passed"

check: test

eval: $(BIN)
	scripts/eval

clean:
	rm -rf $(BUILD) bin lib

# Installs the binary, the static and shared libraries, the header,
# zhmetrics.pc, the man page and the dictionary under PREFIX (LIBDIR and
# MANDIR: mk/integrate.mk), staged under DESTDIR when given. Run ldconfig
# after installing into a system library directory.
install: $(BIN) $(LIB) $(SHLIB) lib/$(SONAME)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/zhmetrics
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SHLIB_REAL) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(SHLIB_REAL)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libzhmetrics.so
	install -m 644 include/zhmetrics.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' \
	    -e 's|@VERSION@|$(ZM_VERSION)|g' zhmetrics.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/zhmetrics.pc
	chmod 644 $(DESTDIR)$(LIBDIR)/pkgconfig/zhmetrics.pc
	install -m 644 docs/zhmetrics.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 dict/*.tsv dict/*.txt $(DESTDIR)$(DATADIR)/
