# Input formats (issue 15): HTML pages, Word .docx and PDF files read to
# text before the pipeline (src/lib/input*.c). libxml2 (HTML and the .docx
# XML), libzip (the .docx archive), poppler-glib (PDF text); Debian
# packages installed by scripts/install-deps.sh (core group).
#   make formats-test   fixtures in each format against the plain text
#                       (tests/formats/run.sh; part of make test)
# Included by the Makefile after its variables (LIB_SRC, PKG_* ...).

FORMATS_PKGS = libxml-2.0 libzip poppler-glib
PKG_CFLAGS += $(shell pkg-config --cflags $(FORMATS_PKGS) 2>/dev/null)
PKG_LIBS += $(shell pkg-config --libs $(FORMATS_PKGS) 2>/dev/null)
# the readers' fuzz targets, added to FUZZ_TARGETS by mk/robust.mk: one
# source, tests/fuzz/fuzz_reader.c, built once a reader (fuzz_R calls
# zm_input_R, -DZM_FUZZ_READER=R)
FORMATS_FUZZ_TARGETS = fuzz_html fuzz_docx fuzz_pdf
FUZZ_READER_TARGETS += $(FORMATS_FUZZ_TARGETS)
LIB_SRC += src/lib/input.c src/lib/input_detect.c src/lib/input_text.c src/lib/input_html.c src/lib/input_docx.c src/lib/input_pdf.c

.PHONY: formats-test
formats-test: $(or $(BIN),bin/zhmetrics)
	@ZM=$${ZM:-$(CURDIR)/$(or $(BIN),bin/zhmetrics)} bash tests/formats/run.sh

TEST_TARGETS += formats-test
# make check-asan runs it too, on the ASan build (mk/robust.mk)
ASAN_EXTRA_TESTS += formats-test
