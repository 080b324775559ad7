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
override CFLAGS += -std=c11 -Wall -Wextra -Werror -Wno-missing-field-initializers -Iinclude -Isrc $(PKG_CFLAGS)
CPPFLAGS += -DZM_DATA_DIR='"$(DATADIR)"'
LDLIBS += $(PKG_LIBS) -lm -lpthread

LIB_SRC = src/names.c src/util.c src/utf8.c src/decode.c src/norm.c src/tsv.c src/lexicon.c src/seg.c \
          src/numex.c src/rules.c src/model.c src/cues.c src/words.c src/timex.c src/structure.c src/docinfo.c \
          src/resolve.c src/enrich.c src/extract.c src/doc.c src/fields.c src/emit_json.c src/json_in.c
BUILD ?= build

# Feature makefiles (mk/*.mk) may add sources, flags and targets.
-include $(sort $(wildcard mk/*.mk))

LIB_OBJ = $(LIB_SRC:src/%.c=$(BUILD)/%.o)
LIB = lib/libzhmetrics.a
BIN = bin/zhmetrics

.PHONY: all run test check unit-test cli-test corpus-test deps clean install bench eval
all: $(BIN)

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) include/zhmetrics.h | $(BUILD)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD) bin lib:
	mkdir -p $@

$(LIB): $(LIB_OBJ) | lib
	rm -f $@
	ar rcs $@ $^

# CLI_OBJ: objects only the command line needs (output writers, from mk/)
$(BIN): $(BUILD)/cli.o $(CLI_OBJ) $(LIB) | bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(LDLIBS)

deps:
	@scripts/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	$(BIN) corpus/*.txt

# ---- tests ----
UNIT_TESTS = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

$(BUILD)/tests/%: tests/unit/%.c $(LIB) | $(BUILD)
	@mkdir -p $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) -DZM_SOURCE_DIR='"$(CURDIR)"' -o $@ $< $(LIB) $(LDLIBS) -lcmocka

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
