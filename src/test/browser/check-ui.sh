#!/usr/bin/env sh
# Lints the admin UI's scripts with ESLint and runs the unit tests of its helpers with node's test runner, with the
# npm packages build.sh installed into target/browser (the versions package-lock.json pins). Run by the build (test).
set -eu
cd "$(dirname "$0")/../../.."
out=target/browser
cp src/test/browser/eslint.config.mjs "$out/"
"$out/node_modules/.bin/eslint" --max-warnings 0 -c "$out/eslint.config.mjs" \
    src/main/resources/META-INF/resources/admin/*.js src/test/browser/*.test.mjs
# the UI's scripts are ES modules without a package.json saying so: node detects it (and says so on stderr)
node --test src/test/browser/ui-helpers.test.mjs 2> "$out/node-test.stderr" || { cat "$out/node-test.stderr" >&2; exit 1; }
