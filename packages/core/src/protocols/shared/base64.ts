/** Decodes base64 (standard or URL-safe) holding little-endian float32 values, as embeddings APIs send them. */
export function decodeFloat32Base64(data: string): number[] {
  const bytes = Buffer.from(data, 'base64');
  const count = Math.floor(bytes.length / 4);
  const out = new Array<number>(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
