# Layout checks (tests/arch/, part of `make test`):
#   make arch-test  no include or call cycle among the library's modules,
#                   CLI sources include zhmetrics.h only (check.py), and the
#                   CLI linked against the shared library gives the same
#                   output as bin/zhmetrics (tests/arch/shared_cli.sh)
# Included after mk/integrate.mk (CLI_OBJ, SHLIB, .SECONDEXPANSION); LIB_OBJ
# is set by the Makefile after the mk files, hence $$ below.

ZM_SHARED_CLI = $(BUILD)/zhmetrics-shared

# the CLI's objects against lib/libzhmetrics.so: only the exported API
$(ZM_SHARED_CLI): $$(CLI_OBJ) $(SHLIB) lib/$(SONAME)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) -Llib -lzhmetrics -Wl,-rpath,$(CURDIR)/lib \
	    $(PKG_LIBS) $(SQLITE_LIBS) -lpthread

arch-test: $$(LIB_OBJ) $(ZM_SHARED_CLI) $(BIN)
	@python3 tests/arch/check.py --lib-dir src/lib --cli-dir src/cli --objs $(LIB_OBJ)
	@ZM=$(CURDIR)/$(BIN) ZM_SHARED=$(CURDIR)/$(ZM_SHARED_CLI) bash tests/arch/shared_cli.sh

TEST_TARGETS += arch-test
.PHONY: arch-test
