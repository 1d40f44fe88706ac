# Sourced by the fixture scripts (make-upgrade-fixtures.sh, make-lane-log-fixtures.sh): checks out
# release REF as a detached worktree in a temporary directory, with this checkout's node_modules,
# and removes both on exit. The caller sets NAME (its own name, for messages and the temp
# directory) and passes its arguments on. Sets ROOT, SHA, WORK (the temp directory) and REL (the
# release's tree).
REF=${1:?usage: scripts/$NAME.sh RELEASE_REF [OUT_DIR]}
ROOT=$(git rev-parse --show-toplevel)
SHA=$(git -C "$ROOT" rev-parse --verify "$REF^{commit}")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/omm-$NAME.XXXXXX")
REL="$WORK/release"
cleanup() {
  git -C "$ROOT" worktree remove --force "$REL" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
git -C "$ROOT" worktree add --detach "$REL" "$SHA" >/dev/null
ln -s "$ROOT/node_modules" "$REL/node_modules"
