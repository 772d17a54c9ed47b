/**
 * One streamed chat completion read the way a lean client reads it (undici, `data:` lines split by
 * hand, `JSON.parse` per chunk), timing the first content token and the whole stream. The same
 * reader is used for the direct call and both gateways, so the difference is what each gateway adds.
 */
import type { Dispatcher } from 'undici';

export interface StreamTiming {
  /** Request start to the first chunk with content, microseconds. */
  firstTokenUs: number;
  /** Request start to `data: [DONE]`, microseconds. */
  totalUs: number;
  /** Every content delta joined (checked against the upstream's text). */
  text: string;
  /** Content chunks seen. */
  chunks: number;
}

type ChunkJson = { choices?: { delta?: { content?: string | null } }[] };

/** POSTs `body` to `url` and reads the SSE answer to its end marker. */
export async function timeStream(
  request: typeof import('undici').request,
  dispatcher: Dispatcher,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<StreamTiming> {
  const start = process.hrtime.bigint();
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    dispatcher,
  });
  if (response.statusCode !== 200) {
    throw new Error(`${url}: HTTP ${response.statusCode}: ${(await response.body.text()).slice(0, 300)}`);
  }
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  let chunks = 0;
  let firstToken: bigint | undefined;
  for await (const bytes of response.body) {
    buffer += decoder.decode(bytes as Uint8Array, { stream: true });
    let lineStart = 0;
    let newline = buffer.indexOf('\n', lineStart);
    while (newline !== -1) {
      if (buffer.startsWith('data:', lineStart)) {
        const data = buffer.slice(lineStart + 5, newline).trim();
        if (data === '[DONE]') {
          const end = process.hrtime.bigint();
          // Drain what may follow the marker so the connection goes back to the pool.
          for await (const _ of response.body) void _;
          if (firstToken === undefined) throw new Error(`${url}: the stream had no content`);
          return {
            firstTokenUs: Number(firstToken - start) / 1000,
            totalUs: Number(end - start) / 1000,
            text,
            chunks,
          };
        }
        const content = (JSON.parse(data) as ChunkJson).choices?.[0]?.delta?.content;
        if (content) {
          firstToken ??= process.hrtime.bigint();
          text += content;
          chunks++;
        }
      }
      lineStart = newline + 1;
      newline = buffer.indexOf('\n', lineStart);
    }
    buffer = buffer.slice(lineStart);
  }
  throw new Error(`${url}: the stream ended without data: [DONE]`);
}
