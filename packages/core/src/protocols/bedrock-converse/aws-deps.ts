/**
 * AWS's own SigV4 signer and event-stream codec, loaded on first use. They are optional peer
 * dependencies of core (core stays small for users who never call Bedrock); the generated
 * `@switchboard/provider-bedrock` package depends on them. Until they load, a Bedrock call fails with
 * a ConfigurationError naming the packages to install.
 */
import { ConfigurationError } from '../../errors/errors.js';

/** The packages (and ranges) the Bedrock adapter needs at run time. */
export const BEDROCK_PEER_PACKAGES = {
  '@smithy/signature-v4': '^5.7.5',
  '@aws-crypto/sha256-js': '^5.2.0',
  '@smithy/eventstream-codec': '^4.5.2',
  '@smithy/util-utf8': '^4.5.2',
} as const;

interface EventStreamMessage {
  headers: Record<string, { type: string; value: unknown }>;
  body: Uint8Array;
}

export interface AwsDeps {
  SignatureV4: new (init: {
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    region: string;
    service: string;
    sha256: unknown;
    uriEscapePath?: boolean;
    applyChecksum?: boolean;
  }) => {
    sign(
      request: {
        method: string;
        protocol: string;
        hostname: string;
        port?: number;
        path: string;
        query: Record<string, string | string[]>;
        headers: Record<string, string>;
        body?: string;
      },
      options?: { signingDate?: Date },
    ): Promise<{ headers: Record<string, string> }>;
  };
  Sha256: unknown;
  /** Decodes exactly one complete event-stream message (prelude, headers, payload; CRCs checked). */
  decodeMessage(bytes: Uint8Array): EventStreamMessage;
}

let loaded: AwsDeps | undefined;
let loading: Promise<AwsDeps> | undefined;

/** The loaded packages, or undefined before `loadAwsDeps()` has resolved. */
export function getLoadedAwsDeps(): AwsDeps | undefined {
  return loaded;
}

function missing(cause: unknown): ConfigurationError {
  const list = Object.entries(BEDROCK_PEER_PACKAGES)
    .map(([name, range]) => `${name}@${range}`)
    .join(' ');
  return new ConfigurationError(
    `Amazon Bedrock needs AWS's signing and event-stream packages, which are optional peer dependencies of @switchboard/core. Install them: npm install ${list} (or install @switchboard/provider-bedrock, which depends on them).`,
    { provider: 'bedrock', setting: 'dependencies', cause },
  );
}

/** Loads the AWS packages once (dynamic `import()`), throwing a ConfigurationError when absent. */
export function loadAwsDeps(): Promise<AwsDeps> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= (async () => {
    try {
      const [sig, sha, codec, utf8] = await Promise.all([
        import('@smithy/signature-v4'),
        import('@aws-crypto/sha256-js'),
        import('@smithy/eventstream-codec'),
        import('@smithy/util-utf8'),
      ]);
      const eventCodec = new codec.EventStreamCodec(utf8.toUtf8, utf8.fromUtf8);
      loaded = {
        SignatureV4: sig.SignatureV4 as unknown as AwsDeps['SignatureV4'],
        Sha256: sha.Sha256,
        decodeMessage: (bytes) => eventCodec.decode(bytes) as unknown as EventStreamMessage,
      };
      return loaded;
    } catch (error) {
      loading = undefined;
      throw missing(error);
    }
  })();
  return loading;
}

/** The loaded packages; throws the ConfigurationError when they were never loaded. */
export function requireAwsDeps(): AwsDeps {
  if (loaded) return loaded;
  throw missing(new Error('AWS packages not loaded: sign() loads them before a Bedrock request is sent'));
}
