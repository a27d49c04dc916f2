#!/usr/bin/env bash
# Trunk post_build hook (see Trunk.toml), run by `trunk build` and `trunk serve` in the staging
# directory before it becomes dist/: puts embed.js at the site root, copies the sample docs
# site (examples/docs-site/) to docs/, and writes the offline service worker sw.js from
# scripts/sw-template.js with this build's file list and a version hashed from their contents.
set -euo pipefail
STAGE="${TRUNK_STAGING_DIR:?this script is run by trunk as a post_build hook}"
SRC="${TRUNK_SOURCE_DIR:-$(pwd)}"

cp "$SRC/public/embed.js" "$STAGE/embed.js"
rm -rf "$STAGE/docs"
cp -R "$SRC/examples/docs-site" "$STAGE/docs"

cd "$STAGE"
# Every file of the build except the worker itself, as paths relative to the site root.
mapfile -t files < <(find . -type f ! -name sw.js | sed 's|^\./||' | LC_ALL=C sort)
version="$(cat "${files[@]}" | sha256sum | cut -c1-16)"
# The page itself is cached under the scope URL ("./"); index.html files only under their folder.
list="\"./\""
for f in "${files[@]}"; do
  case "$f" in
    index.html) ;;
    *) list="$list,\"$f\"" ;;
  esac
done
sed -e "s|__VERSION__|$version|" -e "s|__FILES__|[$list]|" "$SRC/scripts/sw-template.js" > sw.js
echo "[post-build] embed.js, docs/, sw.js (version $version, ${#files[@]} files)"
