#!/usr/bin/env bash
# Installs the map room's browser libraries (Leaflet and
# Leaflet.markercluster, pinned in package.json and package-lock.json) with
# `npm ci` and copies their distribution files into static/vendor, which
# the truce binary embeds. Run it before `go build` or `go test`; without
# it the binary still builds, and its map page says the library is missing.
set -euo pipefail
cd "$(dirname "$0")"
want=static/vendor/VERSIONS
have="leaflet@$(node -p 'require("./package-lock.json").packages["node_modules/leaflet"].version' 2>/dev/null || echo ?) leaflet.markercluster@$(node -p 'require("./package-lock.json").packages["node_modules/leaflet.markercluster"].version' 2>/dev/null || echo ?)"
if [ -f "$want" ] && [ "$(cat "$want")" = "$have" ] && [ -f static/vendor/leaflet.js ]; then
	exit 0 # already in place, at the pinned versions
fi
if ! command -v npm >/dev/null 2>&1; then
	echo "npm is missing: install Node.js 20 or later (apt-get install nodejs npm) to build the map room's libraries" >&2
	exit 1
fi
echo "== npm ci (web/: leaflet, leaflet.markercluster)" >&2
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
rm -rf static/vendor
mkdir -p static/vendor/images
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css static/vendor/
cp node_modules/leaflet/dist/images/*.png static/vendor/images/
cp node_modules/leaflet/LICENSE static/vendor/LICENSE-leaflet
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
   node_modules/leaflet.markercluster/dist/MarkerCluster.css static/vendor/
cp node_modules/leaflet.markercluster/MIT-LICENCE.txt static/vendor/LICENSE-leaflet.markercluster
echo "$have" > "$want"
