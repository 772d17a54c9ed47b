/**
 * The cheapest fake upstream the `--workers` bench can use: a `node:net` server, run as its own
 * process (so its CPU per request is read from `/proc/<pid>/stat`), that answers every HTTP/1.1
 * request on a keep-alive connection with one canned chat completion. On a 2-core box every
 * microsecond it spends is taken from the gateway workers, so it parses only what it must: where
 * the headers end and how long the body is (`content-length`, or a chunked body up to its last chunk).
 *
 * Started by gateway-workers.ts (`node gateway-workers-upstream.ts`); prints `listening <port>`
 * and exits when its parent disconnects or its stdin closes.
 */
import { createServer, type Socket } from 'node:net';
import { CHAT_TEXT } from './server.ts';

/** The completion every request gets: the fields the gateway's OpenAI parser reads, plus usage. */
const COMPLETION = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-BenchWorkersCompletion00000001',
    object: 'chat.completion',
    created: 1_733_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: CHAT_TEXT, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 19, completion_tokens: 21, total_tokens: 40 },
  }),
);
const RESPONSE = Buffer.concat([
  Buffer.from(
    'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: keep-alive\r\n' +
      `content-length: ${COMPLETION.length}\r\n\r\n`,
  ),
  COMPLETION,
]);
const HEADERS_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');

/** Answers each complete request in `pending` and returns the bytes of the next, incomplete one. */
function answerComplete(socket: Socket, pending: Buffer): Buffer {
  let rest = pending;
  for (;;) {
    const headersEnd = rest.indexOf(HEADERS_END);
    if (headersEnd < 0) return rest;
    const head = rest.subarray(0, headersEnd).toString('latin1').toLowerCase();
    const bodyStart = headersEnd + HEADERS_END.length;
    let requestEnd: number;
    const length = /\r\ncontent-length:\s*(\d+)/.exec(head);
    if (length !== null) requestEnd = bodyStart + Number(length[1]);
    else if (head.includes('transfer-encoding: chunked')) {
      const end = rest.indexOf(CHUNKED_END, bodyStart - 2);
      if (end < 0) return rest;
      requestEnd = end + CHUNKED_END.length;
    } else requestEnd = bodyStart;
    if (rest.length < requestEnd) return rest;
    socket.write(RESPONSE);
    rest = rest.subarray(requestEnd);
  }
}

const server = createServer((socket) => {
  socket.setNoDelay(true);
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (data: Buffer) => {
    pending = answerComplete(socket, pending.length === 0 ? data : Buffer.concat([pending, data]));
  });
  socket.on('error', () => socket.destroy());
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.stdout.write(`listening ${address.port}\n`);
});
// Never outlive the bench: stop when the parent goes away.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
