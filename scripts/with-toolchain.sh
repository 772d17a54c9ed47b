#!/usr/bin/env bash
# Runs a command with the project's toolchain (Node >= 22, pnpm 10) first on PATH, bootstrapping it
# when the machine's Node is older. Lets scripts that need Node 24 (codegen runs TypeScript directly)
# work even when invoked through a plain `pnpm`/`npx pnpm` on Node 20.
. "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh" || exit 1
exec "$@"
