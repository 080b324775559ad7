# Robustness: fuzzing, sanitizers, valgrind, truncated inputs, hostile inputs.
#   make robust-test     hostile inputs, no-data-loss checks, fuzz regression
#                        replay (part of `make test`; gcc, no clang needed)
#   make fuzz            libFuzzer targets (clang), FUZZ_SECONDS each (60);
#                        FUZZ_TARGETS="fuzz_numex fuzz_seg" to pick some
#   make check-asan      unit, CLI and robust tests against an ASan+UBSan
#                        build in build-asan/
#   make check-valgrind  valgrind on the unit tests, the CLI over corpus/ and
#                        bad inputs, and the fuzz regression replays
#   make chop            corpus files truncated at many offsets: no crash
#   make robust-slow     the slow-input timings at full size (50 MB line ...;
#                        robust-test runs them at a quarter, check-asan an
#                        eighth: ROBUST_SCALE)
# Included by the Makefile after its variables (LIB_SRC, CFLAGS, BUILD ...).

# The Makefile sets LIB and BIN after including this file: prerequisites
# here use these (a LIB or BIN given on the command line wins).
ZM_LIB := $(or $(LIB),lib/libzhmetrics.a)
ZM_BIN := $(or $(BIN),bin/zhmetrics)

# Output files put in place whole, for every writer (issue 16).
CLI_SRC += src/cli/outfile.c src/cli/name_utf8.c

FUZZ_TARGETS ?= fuzz_decode fuzz_seg fuzz_numex fuzz_timex fuzz_extract fuzz_dict fuzz_indicators $(FORMATS_FUZZ_TARGETS)
FUZZ_SECONDS ?= 60
FUZZ_BUILD ?= build-fuzz
FUZZ_CC ?= clang
ASAN_BUILD ?= build-asan
ZM_SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

# A sub-make with ZM_SANITIZE set builds everything (library, binary, unit
# tests) with those flags; `override` so a CFLAGS given on the command line
# cannot drop them.
ifneq ($(strip $(ZM_SANITIZE)),)
override CFLAGS += $(ZM_SANITIZE)
override LDFLAGS += $(ZM_SANITIZE)
endif

FUZZ_DEPS = tests/fuzz/fuzz_common.h $(wildcard src/lib/*.h) include/zhmetrics.h
REPLAY_DIR = $(BUILD)/fuzz-replay
REPLAY_BINS = $(FUZZ_TARGETS:%=$(REPLAY_DIR)/%)

.PHONY: fuzz fuzz-build fuzz-lib fuzz-replay check-asan check-valgrind chop robust-test robust-slow

# ---- fuzz regression replay with the normal compiler -------------------
# The targets linked with tests/fuzz/replay_main.c instead of libFuzzer.
# A target fuzz_T is built from tests/fuzz/fuzz_T.c, or, when listed in
# FUZZ_READER_TARGETS (mk/formats.mk), from tests/fuzz/fuzz_reader.c with
# -DZM_FUZZ_READER=T.
$(REPLAY_DIR)/%: tests/fuzz/%.c tests/fuzz/replay_main.c $(FUZZ_DEPS) $(ZM_LIB)
	@mkdir -p $(REPLAY_DIR)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Isrc/lib -DZM_SOURCE_DIR='"$(CURDIR)"' -o $@ $< tests/fuzz/replay_main.c $(ZM_LIB) $(LDLIBS)

$(FUZZ_READER_TARGETS:%=$(REPLAY_DIR)/%): $(REPLAY_DIR)/fuzz_%: tests/fuzz/fuzz_reader.c tests/fuzz/replay_main.c $(FUZZ_DEPS) $(ZM_LIB)
	@mkdir -p $(REPLAY_DIR)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Isrc/lib -DZM_FUZZ_READER=$* -DZM_SOURCE_DIR='"$(CURDIR)"' -o $@ $< tests/fuzz/replay_main.c $(ZM_LIB) $(LDLIBS)

# Every regression input and seed once through each target.
fuzz-replay: $(REPLAY_BINS)
	@ZHMETRICS_CACHE=$(CURDIR)/$(BUILD)/cache bash tests/fuzz/replay.sh $(REPLAY_DIR) $(FUZZ_TARGETS)

# ---- libFuzzer ---------------------------------------------------------
# The library again, with clang and the fuzzer's coverage instrumentation,
# in its own build directory and archive (a sub-make, so that sources other
# mk/*.mk files add to LIB_SRC are in).
FUZZ_LIB = $(FUZZ_BUILD)/libzhmetrics.a
# UBSan recoverable here, halting through UBSAN_OPTIONS, so that the
# suppressions of known bugs (tests/fuzz/ubsan.supp) can apply.
FUZZ_SAN_FLAGS = -fsanitize=address,undefined -fsanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_COMPILE_FLAGS = -O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN_FLAGS) -Wno-error
fuzz-lib:
	@scripts/install-deps.sh fuzz
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) LIB=$(FUZZ_LIB) CC=$(FUZZ_CC) \
	    ZM_SANITIZE="$(FUZZ_COMPILE_FLAGS)" $(FUZZ_LIB)

fuzz-build: fuzz-lib
	@set -e; for t in $(FUZZ_TARGETS); do \
	    case " $(FUZZ_READER_TARGETS) " in \
	    *" $$t "*) src=tests/fuzz/fuzz_reader.c def=-DZM_FUZZ_READER=$${t#fuzz_} ;; \
	    *) src=tests/fuzz/$$t.c def= ;; \
	    esac; \
	    if [ ! $(FUZZ_BUILD)/$$t -nt $$src ] || [ $(FUZZ_LIB) -nt $(FUZZ_BUILD)/$$t ] || \
	       [ tests/fuzz/fuzz_common.h -nt $(FUZZ_BUILD)/$$t ]; then \
	        echo "$(FUZZ_CC) $$def -o $(FUZZ_BUILD)/$$t $$src"; \
	        $(FUZZ_CC) $(CPPFLAGS) -std=c11 -Iinclude -Isrc/lib $(PKG_CFLAGS) -O1 -g -fsanitize=fuzzer $(FUZZ_SAN_FLAGS) \
	            $$def -DZM_SOURCE_DIR='"$(CURDIR)"' -o $(FUZZ_BUILD)/$$t $$src $(FUZZ_LIB) $(LDLIBS); \
	    fi; \
	done

# Each target: the regression inputs replayed, then FUZZ_SECONDS of fuzzing
# from tests/fuzz/corpus/<t>/ (new inputs go to $(FUZZ_BUILD)/corpus/<t>/,
# crashes to $(FUZZ_BUILD)/artifacts/<t>/). Fails if any target found one.
fuzz: fuzz-build
	@scripts/fuzz-report --build $(FUZZ_BUILD) --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# ---- sanitizers -----------------------------------------------------------
# Everything rebuilt into $(ASAN_BUILD)/ (library, binary, unit tests, fuzz
# replays) with ASan+UBSan; the CLI tests take the binary from $ZM.
ASAN_MAKE = $(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) LIB=$(ASAN_BUILD)/libzhmetrics.a \
	BIN=$(ASAN_BUILD)/zhmetrics ZM_SANITIZE="-O1 $(ZM_SAN_FLAGS)"
ASAN_ENV = ZM=$(CURDIR)/$(ASAN_BUILD)/zhmetrics \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ROBUST_SCALE=$${ROBUST_SCALE:-8}
check-asan: deps
	@$(ASAN_MAKE) $(ASAN_BUILD)/zhmetrics
	$(ASAN_ENV) $(ASAN_MAKE) -k unit-test cli-test robust-test $(ASAN_EXTRA_TESTS)
	@echo "check-asan: unit, CLI and robust tests clean under ASan+UBSan"

# ---- valgrind -------------------------------------------------------------
VALGRIND = valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
	--show-leak-kinds=definite,indirect,possible --track-origins=yes --quiet \
	--suppressions=$(CURDIR)/tests/robust/valgrind.supp
check-valgrind: deps
	@scripts/install-deps.sh valgrind
	@$(MAKE) --no-print-directory all $(UNIT_TESTS) $(REPLAY_BINS)
	VALGRIND="$(VALGRIND)" ZM=$(CURDIR)/$(ZM_BIN) UNIT_TESTS="$(UNIT_TESTS)" REPLAY_BINS="$(REPLAY_BINS)" \
	    FUZZ_TARGETS="$(FUZZ_TARGETS)" ZHMETRICS_CACHE=$(CURDIR)/$(BUILD)/cache bash tests/robust/valgrind.sh

# ---- truncated inputs ------------------------------------------------------
chop: $(ZM_BIN)
	ZM=$${ZM:-$(CURDIR)/$(ZM_BIN)} bash tests/robust/chop.sh

# ---- hostile inputs and no data loss (make test) ---------------------------
# The library's API edges (t_api.sh runs it).
API_EDGES = $(BUILD)/robust/api_edges
$(API_EDGES): tests/robust/api_edges.c include/zhmetrics.h $(ZM_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(ZM_LIB) $(LDLIBS)

TEST_TARGETS += robust-test
robust-test: $(ZM_BIN) fuzz-replay $(API_EDGES)
	@for t in tests/robust/t_*.sh; do echo "== $$t"; \
	    ZM=$${ZM:-$(CURDIR)/$(ZM_BIN)} ZM_API_EDGES=$(CURDIR)/$(API_EDGES) \
	    ROBUST_SCALE=$${ROBUST_SCALE:-4} bash $$t || exit 1; done

# The slow inputs at full size (a 50 MB line, a million digits ...).
robust-slow: $(ZM_BIN)
	ZM=$${ZM:-$(CURDIR)/$(ZM_BIN)} ROBUST_SCALE=1 bash tests/robust/t_slow_inputs.sh
