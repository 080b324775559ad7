#!/bin/sh
# Installs the Debian packages zhmetrics needs, only those missing
# (idempotent). Needs root or sudo when something is missing.
#   scripts/install-deps.sh            build + test packages
#   scripts/install-deps.sh GROUP...   extra groups: fuzz browser postgres
#                                      parallel dask python
#                                      formats-fixtures (tests/formats/make-fixtures.sh)
set -eu
core="build-essential pkg-config libpcre2-dev libcjson-dev libcmocka-dev python3 python3-jieba libsqlite3-dev sqlite3 libxml2-dev libzip-dev libpoppler-glib-dev opencc"
pkgs=""
[ $# -eq 0 ] && pkgs="$core"
for g in "$@"; do
    case "$g" in
    core) pkgs="$pkgs $core" ;;
    fuzz) pkgs="$pkgs clang libclang-rt-dev valgrind" ;;
    valgrind) pkgs="$pkgs valgrind" ;;
    browser) pkgs="$pkgs chromium fonts-wqy-microhei" ;;
    postgres) pkgs="$pkgs postgresql postgresql-client" ;;
    parallel) pkgs="$pkgs parallel" ;;
    dask) pkgs="$pkgs python3-distributed python3-dask" ;;
    python) pkgs="$pkgs python3-dev python3-setuptools python3-pytest python3-pandas" ;;
    formats-fixtures) pkgs="$pkgs python3-gi python3-gi-cairo gir1.2-pango-1.0 fonts-wqy-microhei qpdf" ;;
    *) echo "install-deps: unknown group '$g'" >&2; exit 2 ;;
    esac
done
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null || true
# Wait for another apt (a parallel make, unattended upgrades) instead of
# failing on its lock: a test group would then skip for no real reason.
# shellcheck disable=SC2086
$SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $missing >/dev/null
