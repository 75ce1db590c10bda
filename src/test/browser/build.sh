#!/usr/bin/env sh
# Installs the pinned npm packages (package-lock.json) into target/browser and bundles them into one script the
# browser tests serve themselves. Run by the build (generate-test-resources); needs node and npm.
set -eu
cd "$(dirname "$0")/../../.."
out=target/browser
if [ -f "$out/openfeature.bundle.js" ] && [ "$out/openfeature.bundle.js" -nt src/test/browser/package-lock.json ] \
        && [ "$out/openfeature.bundle.js" -nt src/test/browser/openfeature.js ]; then
    exit 0
fi
command -v npm >/dev/null || { echo "npm is needed for the browser tests (apt-get install nodejs npm)" >&2; exit 1; }
mkdir -p "$out"
cp src/test/browser/package.json src/test/browser/package-lock.json src/test/browser/openfeature.js "$out/"
cd "$out"
npm ci --no-audit --no-fund --loglevel=error
./node_modules/.bin/esbuild openfeature.js --bundle --format=iife --outfile=openfeature.bundle.js --log-level=warning
