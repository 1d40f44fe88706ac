#!/bin/sh
# Builds the upgrade fixtures of one release: databases its `omm-hedger run` wrote on a slice of
# the shipped BTC prices, once after a clean stop and once SIGKILLed with a hedge in flight, plus
# what that release itself reported on them (status, and the journal after it continued them).
# test/integration/upgrade/ opens copies with the code under test.
#
#   scripts/make-upgrade-fixtures.sh RELEASE_REF [OUT_DIR]
#
# RELEASE_REF: the commit of the release (machine version 1: 20ec4a3, and 68e34eb, the first with a compiled CLI). OUT_DIR defaults to
# test/fixtures/upgrade/machine-vN, N being that release's MACHINE_VERSION. Needs node_modules
# installed here (the release runs on them) and a minute or two.
set -eu
NAME=make-upgrade-fixtures
. "$(dirname "$0")/release-worktree.sh"
# A release with a compiled CLI runs from dist/: build it as its npm install would.
if [ -f "$REL/scripts/build.mjs" ]; then (cd "$REL" && node scripts/build.mjs >/dev/null); fi
VERSION=$(sed -n 's/^export const MACHINE_VERSION = \([0-9]*\);/\1/p' "$REL/machines/vault.machine.ts")
[ -n "$VERSION" ] || { echo "make-upgrade-fixtures: no MACHINE_VERSION in $REF" >&2; exit 1; }
OUT=${2:-$ROOT/test/fixtures/upgrade/machine-v$VERSION}
node "$ROOT/scripts/upgrade-fixtures/makeFixtures.mjs" \
  --release "$REL" --release-sha "$SHA" --machine-version "$VERSION" \
  --prices "$ROOT/data/btcusdt-binanceus-1m-2023-03-01_21.csv" --work "$WORK/run" --out "$OUT"
echo "make-upgrade-fixtures: wrote $OUT"
