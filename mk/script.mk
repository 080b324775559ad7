# Traditional script (issue 12): src/lib/script.c is compiled with a table
# made from Debian's OpenCC data at build time (scripts/gen-tschars.sh;
# packages opencc + libopencc1.1, in scripts/install-deps.sh core).
# Included by the Makefile after its variables (LIB_SRC, CFLAGS, BUILD ...).
ZM_GEN ?= build/gen
TS_INC = $(ZM_GEN)/tschars.inc
LIB_SRC += src/lib/script.c
CPPFLAGS += -I$(ZM_GEN)

$(TS_INC): scripts/gen-tschars.sh
	@mkdir -p $(ZM_GEN)
	scripts/gen-tschars.sh $@

# the script object of every build directory (a sub-make sets BUILD)
$(BUILD)/script.o $(BUILD)/pic/script.o: $(TS_INC)
