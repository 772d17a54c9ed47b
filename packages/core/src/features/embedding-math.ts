/**
 * Small vector helpers for embeddings: providers may send base64 float32 vectors (smaller on the
 * wire), and most uses of embeddings end in a similarity search.
 */

/** Decodes a base64 string of little-endian float32 values (OpenAI's `encoding_format: base64`). */
export function decodeBase64Embedding(base64: string): number[] {
  const bytes = Buffer.from(base64, 'base64');
  const count = bytes.byteLength >>> 2;
  const out = new Array<number>(count);
  for (let i = 0; i < count; i += 1) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

/** Encodes a vector as base64 little-endian float32 (for fixtures and tests). */
export function encodeBase64Embedding(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i += 1) bytes.writeFloatLE(vector[i] as number, i * 4);
  return bytes.toString('base64');
}

/** Cosine similarity in [-1, 1]; 0 when either vector is all zeros. Vectors must have equal length. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`Vectors differ in length (${a.length} vs ${b.length})`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** An item to search: a bare vector or an object carrying one. */
export type SimilarityItem =
  | readonly number[]
  | { id?: string | number; embedding: readonly number[]; [key: string]: unknown };

/** A search hit: the item, its position in the input and its score. */
export interface SimilarityMatch<T> {
  item: T;
  index: number;
  score: number;
}

/** The items most similar to `query`, best first, optionally capped (`topK`) and filtered (`threshold`). */
export function findSimilar<T extends SimilarityItem>(
  query: readonly number[],
  items: readonly T[],
  options: { topK?: number; threshold?: number } = {},
): SimilarityMatch<T>[] {
  const matches: SimilarityMatch<T>[] = [];
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index] as T;
    const vector = Array.isArray(item)
      ? (item as readonly number[])
      : (item as { embedding: readonly number[] }).embedding;
    const score = cosineSimilarity(query, vector);
    if (options.threshold === undefined || score >= options.threshold) matches.push({ item, index, score });
  }
  matches.sort((x, y) => y.score - x.score);
  return options.topK === undefined ? matches : matches.slice(0, options.topK);
}
