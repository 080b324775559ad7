#!/bin/sh
# Remakes tests/formats/fixtures/ from tests/docs/ and corpus/ (the
# fixtures are committed: the tests need no converter).
set -eu
cd "$(dirname "$0")/../.."
scripts/install-deps.sh formats-fixtures
rm -rf tests/formats/fixtures
# Debian's python: python3-gi is installed for it
/usr/bin/python3 tests/formats/make-fixtures.py
du -sh tests/formats/fixtures
