#!/usr/bin/env bash
# Makes sure a Node >= 22.19 (package.json engines) and pnpm 10 are on PATH, installing them from the npm registry into
# .toolchain/ (git-ignored) when the system Node is older. Source it: `. scripts/bootstrap.sh`.
# Prints nothing on success except what npm says on the first install.
# No `set -e` here: this file is sourced, and must not change the caller's shell options.
SB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SB_TOOLCHAIN="$SB_ROOT/.toolchain"
NODE_SPEC="node@24"
PNPM_SPEC="pnpm@10"

# True when node "$1" is at least the root package.json's engines.node (">=22.19.0": undici 8's minimum), the
# one place the minimum is written for the repository; a Node 22.0-22.18 would run but crash inside undici.
node_ok() {
  "$1" -e 'const need = /(\d+)\.(\d+)\.(\d+)/.exec(require(process.argv[1]).engines.node).slice(1).map(Number);
    const have = process.versions.node.split(".").map(Number);
    for (let i = 0; i < 3; i++) if (have[i] !== need[i]) process.exit(have[i] > need[i] ? 0 : 1);' "$SB_ROOT/package.json" 2>/dev/null
}

if command -v node >/dev/null 2>&1 && node_ok node && command -v pnpm >/dev/null 2>&1 \
  && [ "$(pnpm --version 2>/dev/null | cut -d. -f1)" = "10" ]; then
  return 0 2>/dev/null || exit 0
fi

if [ ! -x "$SB_TOOLCHAIN/node_modules/.bin/node" ] || ! node_ok "$SB_TOOLCHAIN/node_modules/.bin/node" \
  || [ ! -x "$SB_TOOLCHAIN/node_modules/.bin/pnpm" ]; then
  echo "bootstrap: installing $NODE_SPEC and $PNPM_SPEC into .toolchain/ (system node is $(node --version 2>/dev/null || echo missing))" >&2
  mkdir -p "$SB_TOOLCHAIN"
  [ -f "$SB_TOOLCHAIN/package.json" ] || echo '{"name":"switchboard-toolchain","private":true}' > "$SB_TOOLCHAIN/package.json"
  if ! (cd "$SB_TOOLCHAIN" && npm install --no-audit --no-fund --loglevel=error "$NODE_SPEC" "$PNPM_SPEC" >&2); then
    echo "bootstrap: npm install of $NODE_SPEC $PNPM_SPEC failed" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
export PATH="$SB_TOOLCHAIN/node_modules/.bin:$PATH"
export TURBO_TELEMETRY_DISABLED=1
if ! node_ok node; then
  echo "bootstrap: node in .toolchain is older than package.json's engines.node; delete .toolchain/ and retry" >&2
  return 1 2>/dev/null || exit 1
fi
