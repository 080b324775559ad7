#!/usr/bin/env bash
# Runs every tests/integration/t_*.sh (make integration-test). A test exits
# 0 (passed), 77 (skipped: a tool could not be installed, reason printed) or
# anything else (failed). Ends with "integration: N passed, N failed, N
# skipped" and exits 1 if any failed.
cd "$(dirname "$0")/../.." || exit 1
pass=0 failed=0 skipped=0 failed_names=""
start=$(date +%s)
for t in tests/integration/t_*.sh; do
    [ -n "${ZM_INTEGRATION_ONLY:-}" ] && [[ $t != *"$ZM_INTEGRATION_ONLY"* ]] && continue
    echo "== $t"
    t0=$(date +%s)
    bash "$t"
    rc=$?
    case $rc in
    0) pass=$((pass + 1)) ;;
    77) skipped=$((skipped + 1)) ;;
    *) failed=$((failed + 1)); failed_names="$failed_names $t" ;;
    esac
    echo "   ($(($(date +%s) - t0)) s)"
done
echo "integration tests took $(($(date +%s) - start)) s"
echo "integration: $pass passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || { echo "failed:$failed_names" >&2; exit 1; }
