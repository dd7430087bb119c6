#!/bin/sh
# Builds scr_tracker/static/tracker/ from GOV.UK Frontend (npm) and tracker.scss.
# Run from frontend/ with `npm ci && npm run build` (or `make assets` at the top).
# The output is committed, so that the tracker runs without Node; a test checks
# that it was built from the current sources (build.stamp).
set -eu
out=../scr_tracker/static/tracker
mkdir -p "$out"
npx sass --pkg-importer=node --style=compressed --no-source-map tracker.scss "$out/tracker.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk-frontend.min.js"
# The stamp records the SHA-256 of the sources the output was built from.
sha256sum package.json package-lock.json tracker.scss _images.scss > "$out/build.stamp"
echo "Built $out"
