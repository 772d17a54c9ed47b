#!/usr/bin/env bash
# Makes sure a Node >= 22 and pnpm 10 are on PATH, installing them from the npm registry into
# .toolchain/ (git-ignored) when the system Node is older. Source it: `. scripts/bootstrap.sh`.
# Prints nothing on success except what npm says on the first install.
# No `set -e` here: this file is sourced, and must not change the caller's shell options.
SB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SB_TOOLCHAIN="$SB_ROOT/.toolchain"
NODE_SPEC="node@24"
PNPM_SPEC="pnpm@10"

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null 2>&1 && [ "$(node_major node)" -ge 22 ] && command -v pnpm >/dev/null 2>&1 \
  && [ "$(pnpm --version 2>/dev/null | cut -d. -f1)" = "10" ]; then
  return 0 2>/dev/null || exit 0
fi

if [ ! -x "$SB_TOOLCHAIN/node_modules/.bin/node" ] || [ "$(node_major "$SB_TOOLCHAIN/node_modules/.bin/node")" -lt 22 ] \
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
if [ "$(node_major node)" -lt 22 ]; then
  echo "bootstrap: node in .toolchain is not >= 22; delete .toolchain/ and retry" >&2
  return 1 2>/dev/null || exit 1
fi
