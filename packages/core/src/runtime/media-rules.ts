/**
 * The rules one call applies to images and files: the size caps (the model's catalog limit, else
 * the provider's `limitations.maxImageBytes` / `maxFileBytes`, else 20 MB), whether the model takes
 * PDFs, whether image URLs must be downloaded because the protocol cannot pass them on, and the
 * call's abort signal, which every file read and download obeys.
 */
import { supportsCapability } from './capability-check.js';
import { DEFAULT_MAX_MEDIA_BYTES } from './local-file.js';
import type { ResolvedModel } from './provider-index.js';

export interface MediaRules {
  maxImageBytes: number;
  maxFileBytes: number;
  /** PDFs in file parts are accepted (the model has `pdf-input` or a `pdf`/`file` input modality). */
  acceptsPdf: boolean;
  /** The protocol takes no image URLs: the runtime downloads them (guarded, see image-fetch.ts). */
  downloadImageUrls: boolean;
  /** Lets those downloads reach loopback and private addresses. */
  allowPrivateImageUrls: boolean;
  /** The call's signal (user abort and timeout). */
  signal: AbortSignal | undefined;
}

/**
 * Protocols whose wire format has no image URL, only bytes (Bedrock Converse `source.bytes`,
 * Ollama `images: [base64]`). Decided by protocol, not by provider, because every provider on
 * these protocols shares the limitation.
 */
const BYTES_ONLY_PROTOCOLS: ReadonlySet<string> = new Set(['bedrock-converse', 'ollama']);

/** Rules for calls that have no model (`loadImage`, `imageFromFile`): 20 MB, PDFs allowed, nothing downloaded. */
export function defaultMediaRules(options: { maxBytes?: number; signal?: AbortSignal | undefined } = {}): MediaRules {
  const max = options.maxBytes ?? DEFAULT_MAX_MEDIA_BYTES;
  return {
    maxImageBytes: max,
    maxFileBytes: max,
    acceptsPdf: true,
    downloadImageUrls: false,
    allowPrivateImageUrls: false,
    signal: options.signal,
  };
}

/** A positive byte count from catalog data, else undefined. */
function limit(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The rules for one call to a resolved model. */
export function mediaRulesFor(
  resolved: ResolvedModel,
  options: { signal?: AbortSignal | undefined; allowPrivateImageUrls?: boolean | undefined },
): MediaRules {
  const descriptor = resolved.provider.definition?.descriptor;
  // A model may carry its own limits (not in the catalog schema yet; read when present).
  const own = (resolved.model as { limitations?: { maxImageBytes?: unknown; maxFileBytes?: unknown } } | undefined)
    ?.limitations;
  const inputs = resolved.model?.modalities.input ?? [];
  return {
    maxImageBytes:
      limit(own?.maxImageBytes) ?? limit(descriptor?.limitations?.maxImageBytes) ?? DEFAULT_MAX_MEDIA_BYTES,
    maxFileBytes: limit(own?.maxFileBytes) ?? limit(descriptor?.limitations?.maxFileBytes) ?? DEFAULT_MAX_MEDIA_BYTES,
    acceptsPdf: supportsCapability(resolved, 'pdf-input') || inputs.includes('pdf') || inputs.includes('file'),
    downloadImageUrls: descriptor !== undefined && BYTES_ONLY_PROTOCOLS.has(descriptor.protocol),
    allowPrivateImageUrls: options.allowPrivateImageUrls === true,
    signal: options.signal,
  };
}
