#!/bin/sh
# Builds the lane log fixtures: databases a release whose readers merged the lane log (schema
# versions 2-3, e.g. 2739246) left at a crash with hedge decisions still in its lane log, and what
# that release's own reads showed of them. test/integration/storage/laneLog.test.ts opens copies
# with the code under test (an engine's start folds the lane log into the tables).
#
#   scripts/make-lane-log-fixtures.sh RELEASE_REF [OUT_DIR]
#
# OUT_DIR defaults to test/fixtures/lane-log. Needs node_modules installed here; a few seconds.
set -eu
NAME=make-lane-log-fixtures
. "$(dirname "$0")/release-worktree.sh"
OUT=${2:-$ROOT/test/fixtures/lane-log}
cp "$ROOT/scripts/lane-log-fixtures/makeLaneLogFixtures.ts" "$REL/makeLaneLogFixtures.tmp.ts"
(cd "$REL" && RELEASE_SHA="$SHA" node bin/run-ts.mjs makeLaneLogFixtures.tmp.ts --root "$ROOT" --out "$OUT")
echo "make-lane-log-fixtures: wrote $OUT"
