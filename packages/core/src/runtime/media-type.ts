/**
 * Media types of images and documents from their first bytes (reliable) or their file extension
 * (fallback), because providers reject an image whose declared type does not match its bytes.
 */

/** Detects the media type from magic bytes; undefined when unrecognised. */
export function detectMediaType(bytes: Uint8Array): string | undefined {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 4 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'image/gif';
  if (
    b.length >= 12 &&
    b[0] === 0x52 &&
    b[1] === 0x49 &&
    b[2] === 0x46 &&
    b[3] === 0x46 &&
    b[8] === 0x57 &&
    b[9] === 0x45 &&
    b[10] === 0x42 &&
    b[11] === 0x50
  )
    return 'image/webp';
  if (b.length >= 4 && b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46) return 'application/pdf';
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'image/bmp';
  if (b.length >= 12 && b[4] === 0x66 && b[5] === 0x74 && b[6] === 0x79 && b[7] === 0x70) {
    const brand = String.fromCharCode(b[8] ?? 0, b[9] ?? 0, b[10] ?? 0, b[11] ?? 0);
    if (brand === 'heic' || brand === 'heix' || brand === 'mif1') return 'image/heic';
    if (brand === 'avif') return 'image/avif';
  }
  return undefined;
}

/** The image types every vision protocol here accepts; others (BMP, HEIC, AVIF) are refused before sending. */
export const ACCEPTED_IMAGE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
]);

const TEXT_HEAD_BYTES = 4096;

/**
 * True when the first bytes read as UTF-8 text without NUL or other control bytes (tabs and line
 * breaks allowed), so a text file renamed `.png` is reported as `text/plain`, not as unknown.
 */
function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, TEXT_HEAD_BYTES);
  for (const byte of head) if (byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f) return false;
  try {
    // `stream: true` tolerates a multi-byte character cut at the end of the head.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * What the bytes are, always a type: the magic-byte type, else `text/plain` for UTF-8 text, else
 * `application/octet-stream` (`application/x-empty` for no bytes). Used to refuse and explain.
 */
export function sniffMediaType(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'application/x-empty';
  return detectMediaType(bytes) ?? (looksLikeText(bytes) ? 'text/plain' : 'application/octet-stream');
}

const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  heic: 'image/heic',
  avif: 'image/avif',
  pdf: 'application/pdf',
  txt: 'text/plain',
};

/** Media type from a path or URL's extension; undefined when unknown. */
export function mediaTypeFromExtension(pathOrUrl: string): string | undefined {
  const clean = pathOrUrl.split(/[?#]/, 1)[0] ?? '';
  const dot = clean.lastIndexOf('.');
  if (dot < 0) return undefined;
  return BY_EXTENSION[clean.slice(dot + 1).toLowerCase()];
}
