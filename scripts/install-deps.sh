#!/bin/sh
# Installs the Debian packages zhmetrics needs to build and test, only the
# missing ones (idempotent). Needs root (or sudo) when something is missing.
set -eu
PKGS="build-essential pkg-config libpcre2-dev libcjson-dev libcmocka-dev python3 python3-jieba"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
