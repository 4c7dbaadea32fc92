#!/usr/bin/env bash
# Provisions Node 24 and a pinned n8n 2.x from the npm registry into .cache/runtime (ignored by git, reused).
# n8n >= 2.36 needs Node >= 24; this machine's own Node may be 20, so Node itself comes from the `node` package.
# n8n installs with --ignore-scripts (a Kafka driver's native build would download from the internet), then
# sqlite3 is rebuilt against Node 24's headers, from source (build_from_source: its install script would otherwise
# try a prebuilt binary from GitHub first). Nothing is fetched from outside the npm registry.
set -euo pipefail
# Under `npm run ...` (npm test, npm run test:e2e) npm exports its configuration as npm_config_* variables, among
# them this repository's `ignore-scripts=true` (.npmrc). The installs below live in their own folders and must not
# inherit it: the `node` package installs its binary from a postinstall script and `npm rebuild sqlite3` is a script.
while IFS='=' read -r name _; do
  case "$name" in npm_config_*|NPM_CONFIG_*) unset "$name" ;; esac
done < <(env)
N8N_VERSION="${N8N_VERSION:-2.40.7}"
NODE_VERSION="${NODE24_VERSION:-24}"
root="$(cd "$(dirname "$0")/.." && pwd)"
rt="$root/.cache/runtime"
mkdir -p "$rt/node24" "$rt/n8n"
stamp="$rt/.ready-n8n-$N8N_VERSION"
if [ -f "$stamp" ]; then echo "runtime: cached (n8n $N8N_VERSION, $("$rt/node24/node_modules/node/bin/node" -v))"; exit 0; fi
start=$(date +%s)
fail() { echo "provision-n8n: $1" >&2; exit 1; }
if [ ! -x "$rt/node24/node_modules/node/bin/node" ]; then
  echo "runtime: installing Node $NODE_VERSION from the npm registry (package 'node')"
  (cd "$rt/node24" && [ -f package.json ] || echo '{"private":true}' > package.json)
  (cd "$rt/node24" && npm install --no-audit --no-fund --ignore-scripts=false "node@$NODE_VERSION" >/dev/null) || fail "could not install node@$NODE_VERSION from the npm registry"
fi
node24="$rt/node24/node_modules/node/bin/node"
"$node24" -v >/dev/null || fail "Node 24 binary does not run: $node24"
headers=$(dirname "$(find "$rt/node24/node_modules" -path '*include/node/node.h' | head -1)")
[ -f "$headers/node.h" ] || fail "Node 24 headers not found under $rt/node24/node_modules (needed to rebuild sqlite3)"
nodedir=$(dirname "$(dirname "$headers")")
export PATH="$(dirname "$node24"):$PATH"
echo "runtime: installing n8n@$N8N_VERSION with --ignore-scripts (several minutes on a cold cache)"
(cd "$rt/n8n" && [ -f package.json ] || echo '{"private":true}' > package.json)
(cd "$rt/n8n" && npm install --no-audit --no-fund --ignore-scripts "n8n@$N8N_VERSION" >/dev/null) || fail "npm install n8n@$N8N_VERSION failed"
echo "runtime: rebuilding sqlite3 against Node 24 headers ($nodedir)"
(cd "$rt/n8n" && npm_config_nodedir="$nodedir" npm_config_build_from_source=true npm rebuild --ignore-scripts=false sqlite3 >/dev/null) || fail "npm rebuild sqlite3 failed (needs python3, make, g++)"
"$node24" -e "require('$rt/n8n/node_modules/sqlite3')" || fail "sqlite3 does not load under Node 24 after rebuild"
touch "$stamp"
echo "runtime: ready in $(( $(date +%s) - start ))s"
