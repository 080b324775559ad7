#!/usr/bin/env bash
# Determinism: the same input gives byte-identical output, run after run,
# whatever the thread count, locale, time zone or working directory.
. "$(dirname "$0")/lib.sh" || exit 1

E=$T/err.txt
run "$T/a" "$E" corpus/
assert_eq "corpus/: exit" 0 "$RC"
assert_stream "$T/a"
assert_eq "corpus/: one document per file" "$(printf "%s\n" corpus/*.txt | wc -l)" "$(count_type "$T/a" document)"
run "$T/b" "$E" corpus/
assert_file_eq "two runs over corpus/" "$T/a" "$T/b"

run "$T/c" "$E" corpus/*.txt
run "$T/d" "$E" corpus/*.txt
assert_file_eq "two runs over corpus/*.txt" "$T/c" "$T/d"
assert_file_eq "corpus/ walk = corpus/*.txt (sorted)" "$T/c" "$T/a"

run "$T/e" "$E" -j 4 corpus/ tests/docs/
run "$T/f" "$E" -j 1 corpus/ tests/docs/
run "$T/g" "$E" -j 3 corpus/ tests/docs/
assert_file_eq "-j 4 = -j 1 over corpus/ and tests/docs/" "$T/f" "$T/e"
assert_file_eq "-j 3 = -j 1 over corpus/ and tests/docs/" "$T/f" "$T/g"

# environment: locale and time zone do not matter
LC_ALL=C TZ=UTC "$ZM" corpus/ >"$T/h" 2>"$E"
LC_ALL=C.UTF-8 TZ=Pacific/Kiritimati "$ZM" corpus/ >"$T/i" 2>"$E"
LANG=zh_CN.GB18030 LC_ALL='' TZ=America/Adak "$ZM" corpus/ >"$T/j" 2>"$E"
assert_file_eq "LC_ALL=C TZ=UTC = default" "$T/a" "$T/h"
assert_file_eq "LC_ALL=C.UTF-8 TZ=+14 = default" "$T/a" "$T/i"
assert_file_eq "LANG=zh_CN.GB18030 TZ=-10 = default" "$T/a" "$T/j"

# the working directory only changes doc (and so id)
(cd "$T" && "$ZM" "$ROOT"/corpus/*.txt) >"$T/k" 2>"$E"
zmc_ok "absolute paths from another directory: same records but doc/id" same "$T/k" "$T/c" doc,id

# input order is output order
run "$T/l" "$E" corpus/003_9ffadad1f1d3667d.txt corpus/000_52bde1dff1b34489.txt
{ "$ZM" corpus/003_9ffadad1f1d3667d.txt; "$ZM" corpus/000_52bde1dff1b34489.txt; } >"$T/m" 2>"$E"
assert_file_eq "batch = the runs one by one, in argument order" "$T/m" "$T/l"
# a file's records do not depend on what came before it in the batch
run "$T/n" "$E" corpus/000_52bde1dff1b34489.txt corpus/000_52bde1dff1b34489.txt
"$ZM" corpus/000_52bde1dff1b34489.txt >"$T/o" 2>"$E"
cat "$T/o" "$T/o" >"$T/p"
assert_file_eq "the same file twice in a batch: same records twice" "$T/p" "$T/n"

finish
