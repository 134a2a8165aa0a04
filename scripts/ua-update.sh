#!/bin/sh
# Fetches a pinned release of the OPAWG user-agent patterns (github.com/opawg/user-agents-v2, MIT)
# into a folder, checks that Earshot can load it, and prints how to use it. The project ships its
# own list (shared/domain/ua/default-list); this is for operators who prefer OPAWG's.
#
#   npm run ua:update -- DIR [REF]
#
# DIR must not exist yet (or be empty). REF is a tag, a branch or a commit id; pin a tag or a
# full commit id so that every instance classifies the same way. Default: the commit the
# conformance figures were measured on.
set -eu

# OPAWG_REPO_URL points at a mirror when github.com is out of reach.
repo_url=${OPAWG_REPO_URL:-https://github.com/opawg/user-agents-v2.git}
default_ref=8008a31b
here=$(cd "$(dirname "$0")" && pwd)

usage() {
  cat <<EOF
Usage: npm run ua:update -- DIR [REF]

Fetches OPAWG user-agents-v2 at REF (a tag, branch or commit id; default $default_ref)
from $repo_url into DIR (new or empty), checks that it loads, then prints
how to point Earshot at it:
  earshot classify --ua-list DIR      earshot count --ua-list DIR
  config file: { ..., "ua_list": "DIR" }
Needs git and network access to github.com.
EOF
}

fail() {
  echo "ua:update: $*" >&2
  exit 2
}

case "${1:-}" in
  '' | -h | --help) usage; exit 0 ;;
esac
[ $# -le 2 ] || fail "too many arguments (see npm run ua:update)"
dir=$1
ref=${2:-$default_ref}
command -v git >/dev/null 2>&1 || fail "git is not installed"
if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
  fail "$dir exists and is not empty: choose a new folder (keep the old one until the new one is in use)"
fi

if printf '%s' "$ref" | grep -Eq '^[0-9a-f]{40}$'; then
  # A full commit id can be fetched on its own.
  git init --quiet "$dir"
  git -C "$dir" remote add origin "$repo_url"
  git -C "$dir" fetch --quiet --depth 1 origin "$ref"
  git -C "$dir" checkout --quiet --detach FETCH_HEAD
elif printf '%s' "$ref" | grep -Eq '^[0-9a-f]{7,39}$'; then
  # An abbreviated commit id needs the history to be resolved.
  git clone --quiet "$repo_url" "$dir"
  git -C "$dir" checkout --quiet --detach "$ref"
else
  git -c advice.detachedHead=false clone --quiet --depth 1 --branch "$ref" "$repo_url" "$dir"
fi
commit=$(git -C "$dir" rev-parse HEAD)

for file in bots apps libraries browsers devices; do
  [ -f "$dir/$file.json" ] || fail "$dir/$file.json is missing: is $ref a user-agents-v2 release?"
done
# The same loader the commands use: refuses a file that isn't valid or a pattern that doesn't compile.
node "$here/../bin/earshot.js" classify --ua-list "$dir" </dev/null || fail "$dir does not load (see above)"

abs=$(cd "$dir" && pwd)
cat <<EOF
OPAWG user-agents-v2 $ref (commit $commit) is in $abs
Use it with:
  earshot classify --ua-list $abs
  earshot count --ua-list $abs
or in the configuration: "ua_list": "$abs"
EOF
