import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProtocolId } from '@switchboard/core';

/**
 * Packages a protocol needs at run time beyond core. Core declares them as optional peers (so core
 * stays small for everyone else) and loads them on first use; the generated package of a provider
 * speaking that protocol depends on them, so installing `@switchboard/provider-bedrock` is enough.
 * Versions come from core's `peerDependencies`, the one place they are kept.
 */
const PROTOCOL_PACKAGES: Partial<Record<ProtocolId, readonly string[]>> = {
  'bedrock-converse': [
    '@aws-crypto/sha256-js',
    '@smithy/eventstream-codec',
    '@smithy/signature-v4',
    '@smithy/util-utf8',
  ],
};

const corePackageJson = path.resolve(import.meta.dirname, '../../packages/core/package.json');
let peers: Record<string, string> | undefined;

/** `{ name: range }` a provider package of this protocol must depend on, sorted by name. */
export function protocolDependencies(protocol: ProtocolId): Record<string, string> {
  const names = PROTOCOL_PACKAGES[protocol] ?? [];
  if (names.length === 0) return {};
  peers ??=
    (JSON.parse(readFileSync(corePackageJson, 'utf8')) as { peerDependencies?: Record<string, string> })
      .peerDependencies ?? {};
  const out: Record<string, string> = {};
  for (const name of [...names].sort()) {
    const range = peers[name];
    if (range === undefined)
      throw new Error(`packages/core/package.json lists no peerDependency ${name} (needed by protocol ${protocol})`);
    out[name] = range;
  }
  return out;
}
