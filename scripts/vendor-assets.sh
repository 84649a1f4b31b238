#!/usr/bin/env bash
# Vendor third-party front-end assets from the npm registry at pinned versions.
#
# Run once by a developer (needs `npm`, `tar`, `python3`); the output is
# committed. Nothing here runs at install/deploy time, so Portaat has no
# Node build step.
#
#   bash scripts/vendor-assets.sh
#
# To upgrade a package: change its version AND integrity below (take both
# from `npm view <name>@<version> version dist.integrity`), re-run, review the
# diff, and update portaat/static/vendor/README.md.
set -euo pipefail

# name | exact version | dist.integrity (sha512 of the tarball)
HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
HDS_VERSION="5.2.2"
HDS_INTEGRITY="sha512-O83/0HetDiFtD2dBli1ntD65Wp+aAcdaniV3jJy6X8dYW8bmmbixu0bF2luyaR0FmdAMt0+tqZ9CtsxRAudviw=="
AXE_VERSION="4.14.1"
AXE_INTEGRITY="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
LEAFLET_VERSION="1.9.4"
LEAFLET_INTEGRITY="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATIC_VENDOR="$ROOT/portaat/static/vendor"
TEST_VENDOR="$ROOT/tests/browser/vendor"

for tool in npm tar python3; do
    command -v "$tool" >/dev/null || { echo "error: '$tool' is required" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# fetch NAME VERSION INTEGRITY -> prints the extracted package dir
fetch() {
    local name="$1" version="$2" integrity="$3"
    local dir="$WORK/$name"
    mkdir -p "$dir"
    local tarball
    # Run inside the temp dir so no project package.json / .npmrc is picked up.
    tarball="$(cd "$dir" && npm pack "$name@$version" --loglevel=warn --ignore-scripts | tail -n1)"
    tarball="$dir/$tarball"
    [[ -f "$tarball" ]] || { echo "error: npm pack produced no tarball for $name@$version" >&2; exit 1; }

    local actual
    actual="sha512-$(python3 -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha512(open(sys.argv[1],"rb").read()).digest()).decode())' "$tarball")"
    if [[ "$actual" != "$integrity" ]]; then
        echo "error: integrity mismatch for $name@$version" >&2
        echo "  expected $integrity" >&2
        echo "  got      $actual" >&2
        exit 1
    fi

    tar -xzf "$tarball" -C "$dir"
    local pkg="$dir/package"
    local got
    got="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["name"]+"@"+d["version"])' "$pkg/package.json")"
    [[ "$got" == "$name@$version" ]] || { echo "error: tarball is $got, expected $name@$version" >&2; exit 1; }
    echo "$pkg"
}

# copy_licences PKG_DIR DEST_DIR: every LICENSE/LICENCE/COPYING* file at the package root
copy_licences() {
    local pkg="$1" dest="$2" found=0 f
    shopt -s nullglob nocaseglob
    for f in "$pkg"/LICEN[CS]E* "$pkg"/COPYING*; do
        cp "$f" "$dest/"
        found=1
    done
    shopt -u nullglob nocaseglob
    [[ $found -eq 1 ]] || { echo "error: no licence file in $pkg" >&2; exit 1; }
}

write_version() { printf '%s\n' "$2" > "$1/VERSION"; }

# --- htmx ------------------------------------------------------------------
pkg="$(fetch htmx.org "$HTMX_VERSION" "$HTMX_INTEGRITY")"
dest="$STATIC_VENDOR/htmx"
rm -rf "$dest" && mkdir -p "$dest"
cp "$pkg/dist/htmx.min.js" "$dest/htmx.min.js"
copy_licences "$pkg" "$dest"
write_version "$dest" "htmx.org@$HTMX_VERSION"

# --- hds-core (Helsinki Design System core CSS) ----------------------------
# hds-core ships base.min.css (design tokens as CSS custom properties + base
# text utilities) and components/all.min.css (every component). Together they
# are the "full" stylesheet; concatenate them into one file. Component icons
# are inlined as data: URIs, so no url() assets are needed. Deliberately NOT
# copied: lib/fonts/ (loads the proprietary Helsinki Grotesk webfont from a
# remote host) and lib/icons/icons.min.css (~210 kB, only needed for
# standalone `hds-icon--<name>` icons).
pkg="$(fetch hds-core "$HDS_VERSION" "$HDS_INTEGRITY")"
dest="$STATIC_VENDOR/hds-core"
rm -rf "$dest" && mkdir -p "$dest"
{
    printf '/*! hds-core@%s (MIT, City of Helsinki): lib/base.min.css + lib/components/all.min.css */\n' "$HDS_VERSION"
    cat "$pkg/lib/base.min.css"
    printf '\n'
    cat "$pkg/lib/components/all.min.css"
    printf '\n'
} > "$dest/hds.min.css"
if grep -oE 'url\([^)]*\)' "$dest/hds.min.css" | grep -vqE 'url\(["'"'"']?data:'; then
    echo "warning: hds.min.css references non-data url() assets:" >&2
    grep -oE 'url\([^)]*\)' "$dest/hds.min.css" | grep -vE 'url\(["'"'"']?data:' | sort -u >&2
fi
copy_licences "$pkg" "$dest"
write_version "$dest" "hds-core@$HDS_VERSION"

# --- Leaflet (maps) ----------------------------------------------------------
# Only the built dist files: leaflet.js (minified despite its name), leaflet.css
# and the marker images it refers to with relative url()s. No source maps and no
# leaflet-src builds. Tiles come from the PORTAAT_MAP_TILES setting at run time;
# nothing here talks to a tile server.
pkg="$(fetch leaflet "$LEAFLET_VERSION" "$LEAFLET_INTEGRITY")"
dest="$STATIC_VENDOR/leaflet"
rm -rf "$dest" && mkdir -p "$dest/images"
# Drop the trailing sourceMappingURL comment: the map is not vendored, and a
# dangling reference breaks manifest static storage and 404s in dev tools.
grep -v '^//# sourceMappingURL=' "$pkg/dist/leaflet.js" > "$dest/leaflet.js"
cp "$pkg/dist/leaflet.css" "$dest/leaflet.css"
cp "$pkg"/dist/images/*.png "$dest/images/"
copy_licences "$pkg" "$dest"
write_version "$dest" "leaflet@$LEAFLET_VERSION"

# --- axe-core (accessibility tests only; never served by the app) ----------
pkg="$(fetch axe-core "$AXE_VERSION" "$AXE_INTEGRITY")"
dest="$TEST_VENDOR"
mkdir -p "$dest"
# The folder may hold other test files: replace only what this script owns.
rm -f "$dest/axe.min.js" "$dest/VERSION"
find "$dest" -maxdepth 1 -type f \( -iname 'LICEN[CS]E*' -o -iname 'COPYING*' \) -delete
cp "$pkg/axe.min.js" "$dest/axe.min.js"
copy_licences "$pkg" "$dest"   # LICENSE (MPL-2.0) + LICENSE-3RD-PARTY.txt (bundled code)
write_version "$dest" "axe-core@$AXE_VERSION"

echo "Vendored:"
for f in "$STATIC_VENDOR"/htmx/* "$STATIC_VENDOR"/hds-core/* "$STATIC_VENDOR"/leaflet/* \
         "$STATIC_VENDOR"/leaflet/images/* "$TEST_VENDOR"/*; do
    [[ -f "$f" ]] && printf '  %8d  %s\n' "$(wc -c < "$f")" "${f#"$ROOT"/}"
done
