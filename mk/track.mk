# Target tracking (issue 14, SPEC section 8): the pairing in the library,
# `zhmetrics track` in the CLI, tests/track/run.sh in `make test`.
LIB_SRC += src/lib/track.c
CLI_SRC += src/cli/track_cmd.c src/cli/track_csv.c src/cli/track_sqlite.c

track-test: $(BIN)
	@bash tests/track/run.sh

TEST_TARGETS += track-test
.PHONY: track-test

# make bench also times tracking (scripts/bench.d/track, docs/performance.md)
bench: bench-track
bench-track: $(BIN)
	scripts/bench.d/track --bin $(BIN)
.PHONY: bench-track
