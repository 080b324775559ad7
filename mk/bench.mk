# Benchmarks (docs/performance.md); not part of `make test`.
#   make bench         throughput -j 1 / -j 2, start-up, peak RSS, linearity on
#                      a generated archive (build/bench/full/, >= 200 MB, made
#                      once) and 10,000 small files; BENCH_ARGS="--quick" for
#                      a smoke run, "--json" for machine-readable output; then
#                      the review page's size and open time for 500 and 5,000
#                      documents (scripts/bench-review, headless Chromium;
#                      skipped with a message when chromium is missing)
#   make bench-formats HTML, .docx and PDF throughput beside plain text's
#                      (scripts/bench.d/formats; also run by make bench)
#   make bench-python  the Python package against the CLI (mk/python.mk,
#                      scripts/bench.d/python; also run by make bench)
#   make bench-peers   zhmetrics beside Microsoft Recognizers-Text and jieba
#                      (npm packages installed outside the repo) on the same
#                      input; prints a skip message when npm is missing
# Included by the Makefile after its variables, before BIN is set.

ZM_BENCH_BIN := $(or $(BIN),bin/zhmetrics)
BENCH_ARGS ?=
BENCH_PEERS_ARGS ?=

.PHONY: bench bench-quick bench-peers bench-formats
bench: $(ZM_BENCH_BIN)
	scripts/bench --bin $(ZM_BENCH_BIN) $(BENCH_ARGS)
	scripts/bench-review --bin $(ZM_BENCH_BIN) || [ $$? -eq 2 ]
	scripts/bench.d/formats --bin $(ZM_BENCH_BIN)
	$(MAKE) --no-print-directory bench-python

# HTML, Word and PDF readers beside plain text (issue 15)
bench-formats: $(ZM_BENCH_BIN)
	scripts/bench.d/formats --bin $(ZM_BENCH_BIN)

bench-quick: $(ZM_BENCH_BIN)
	scripts/bench --bin $(ZM_BENCH_BIN) --quick $(BENCH_ARGS)

bench-peers: $(ZM_BENCH_BIN)
	scripts/bench-peers --bin $(ZM_BENCH_BIN) $(BENCH_PEERS_ARGS)
