/**
 * Images and files are untrusted input. Proven against a real loopback provider and image host:
 *
 * - a string in an image or file part is a URL (http, https, data) and never read from disk:
 *   '/proc/self/environ', '/etc/passwd', '../../x', 'file:///etc/hostname' are refused naming the
 *   part, and the provider receives nothing;
 * - the explicit path API reads only regular files (not /proc, /dev/zero, a FIFO, a directory),
 *   under the size cap (a 30 MB file is refused from its size), and only image bytes: a text file
 *   named .png is refused with its detected type; a real PNG works;
 * - base64, data URLs and bytes get the same size and type checks;
 * - image URLs go to providers as URLs; for Ollama and Bedrock (no URL support) the runtime
 *   downloads them, refusing loopback and, even when private addresses are allowed, a redirect to
 *   the metadata address; downloads stop at the cap and at the call's timeout or abort.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ContentPart,
  createSwitchboard,
  InvalidRequestError,
  imageFromFile,
  type SwitchboardError,
  visionMessage,
} from '@switchboard/core';
import { createBedrock } from '@switchboard/provider-bedrock';
import { createOllama } from '@switchboard/provider-ollama';
import { createOpenAI } from '@switchboard/provider-openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ImageInputServer, PNG_1X1, startImageInputServer } from './image-input-server.js';

const OPENAI = 'openai/gpt-4o-mini';
const OLLAMA = 'ollama/llama3.2-vision';
const BEDROCK = 'bedrock/amazon.nova-lite-v1:0';
const MB = 1024 * 1024;

let server: ImageInputServer;
let dir: string;

beforeAll(async () => {
  server = await startImageInputServer();
  dir = mkdtempSync(join(tmpdir(), 'sb-image-input-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.providerRequests.length = 0;
  server.imageRequests.length = 0;
});

function switchboard(options: { allowPrivateImageUrls?: boolean } = {}) {
  return createSwitchboard({
    providers: [
      createOpenAI({ apiKey: 'sk-test-image-input', baseURL: `${server.url}/openai/v1` }),
      createOllama({ baseURL: `${server.url}/ollama` }),
      createBedrock(),
    ],
    env: {
      AWS_ACCESS_KEY_ID: 'AKIAIMAGEINPUTTEST01',
      AWS_SECRET_ACCESS_KEY: 'image-input-test-secret-key-0123456789ab',
      AWS_REGION: 'us-east-1',
      BEDROCK_BASE_URL: `${server.url}/bedrock`,
    },
    retry: false,
    ...options,
  });
}

function ask(part: ContentPart) {
  return [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'What is this?' }, part] }];
}

/** The error a call rejects with (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<SwitchboardError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome === undefined) expect.fail('the call succeeded');
  return outcome as SwitchboardError;
}

function expectInvalid(error: SwitchboardError, field: string, text: string | RegExp): void {
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(error.kind).toBe('invalid-request');
  expect(error.retryable).toBe(false);
  expect(error.message).toContain(field);
  if (typeof text === 'string') expect(error.message).toContain(text);
  else expect(error.message).toMatch(text);
}

describe('a string in an image or file part is a URL, never a path', () => {
  it.each([
    '/proc/self/environ',
    '/etc/passwd',
    '../../x',
    'file:///etc/hostname',
    'ftp://example.com/cat.png',
    'javascript:alert(1)',
  ])('refuses %s as an image, naming the part, sending nothing', async (value) => {
    const error = await failure(switchboard().chat({ model: OPENAI, messages: ask({ type: 'image', image: value }) }));
    expectInvalid(error, 'messages[0].content[1].image', 'only http:, https: and data: URLs');
    expect(server.providerRequests).toHaveLength(0);
  });

  it('refuses a file: URL object', async () => {
    const error = await failure(
      switchboard().chat({ model: OPENAI, messages: ask({ type: 'image', image: new URL('file:///etc/hostname') }) }),
    );
    expectInvalid(error, 'messages[0].content[1].image', "'file:' URL");
    expect(server.providerRequests).toHaveLength(0);
  });

  it.each(['/etc/passwd', '../../x', 'file:///etc/hostname'])(
    'refuses %s as file data (it is not read, not sent)',
    async (value) => {
      const error = await failure(
        switchboard().chat({
          model: OPENAI,
          messages: ask({ type: 'file', data: value, mediaType: 'text/plain' }),
        }),
      );
      expectInvalid(error, 'messages[0].content[1].data', /file path|'file:' URL/);
      expect(server.providerRequests).toHaveLength(0);
    },
  );

  it('names the message and part index of the bad part', async () => {
    const messages = [
      { role: 'system' as const, content: 'be brief' },
      { role: 'user' as const, content: 'hi' },
      {
        role: 'user' as const,
        content: [
          { type: 'image' as const, image: 'https://example.com/fine.png' },
          { type: 'image' as const, image: '/etc/passwd' },
        ],
      },
    ];
    const error = await failure(switchboard().chat({ model: OPENAI, messages }));
    expectInvalid(error, 'messages[2].content[1].image', '"/etc/passwd"');
  });

  it('passes an https image URL to a provider that takes URLs without fetching it', async () => {
    const url = `${server.url}/img/cat.png`;
    await switchboard().chat({ model: OPENAI, messages: ask({ type: 'image', image: url }) });
    expect(server.imageRequests).toHaveLength(0);
    expect(JSON.parse(server.providerRequests[0]?.body ?? '{}').messages[0].content[1].image_url.url).toBe(url);
  });
});

describe('the explicit path API reads regular files only, under the cap, images only', () => {
  it('sends a real PNG given as { type: image, path }', async () => {
    const path = join(dir, 'cat.png');
    writeFileSync(path, PNG_1X1);
    const res = await switchboard().chat({ model: OPENAI, messages: ask({ type: 'image', path }) });
    expect(res.text).toBe('a cat');
    const body = JSON.parse(server.providerRequests[0]?.body ?? '{}');
    expect(body.messages[0].content[1].image_url.url).toBe(`data:image/png;base64,${PNG_1X1.toString('base64')}`);
  });

  it('visionMessage and imageFromFile read a path (they are the explicit file API)', async () => {
    const path = join(dir, 'cat-vm.png');
    writeFileSync(path, PNG_1X1);
    await switchboard().chat({ model: OPENAI, messages: [visionMessage('what?', path)] });
    await switchboard().chat({ model: OPENAI, messages: ask(await imageFromFile(path)) });
    for (const request of server.providerRequests)
      expect(request.body).toContain(`data:image/png;base64,${PNG_1X1.toString('base64')}`);
    expect(server.providerRequests).toHaveLength(2);
  });

  it.each([
    ['/proc/self/environ', 'kernel pseudo-file'],
    ['/dev/zero', 'a device, not a regular file'],
    ['/etc', 'a directory, not a regular file'],
  ])('refuses %s (%s) through the path API', async (path, why) => {
    const error = await failure(switchboard().chat({ model: OPENAI, messages: ask({ type: 'image', path }) }));
    expectInvalid(error, 'messages[0].content[1].path', why);
    expect(server.providerRequests).toHaveLength(0);
    await expect(imageFromFile(path)).rejects.toThrow(why);
  });

  it('refuses a missing file naming the part', async () => {
    const error = await failure(
      switchboard().chat({ model: OPENAI, messages: ask({ type: 'image', path: join(dir, 'nope.png') }) }),
    );
    expectInvalid(error, 'messages[0].content[1].path', 'no such file');
  });

  it('refuses a FIFO without opening it, so no writer is waited for (no timeout set)', async () => {
    const fifo = join(dir, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    const error = await failure(switchboard().chat({ model: OPENAI, messages: ask({ type: 'image', path: fifo }) }));
    expectInvalid(error, 'messages[0].content[1].path', 'a FIFO (named pipe), not a regular file');
    await expect(imageFromFile(fifo)).rejects.toThrow('FIFO');
    const fileError = await failure(switchboard().chat({ model: OPENAI, messages: ask({ type: 'file', path: fifo }) }));
    expectInvalid(fileError, 'messages[0].content[1].path', 'FIFO');
    expect(server.providerRequests).toHaveLength(0);
  });

  it('refuses a 30 MB file from its size, before reading it (default cap 20 MB)', async () => {
    const path = join(dir, 'huge.png');
    writeFileSync(path, PNG_1X1);
    truncateSync(path, 30 * MB); // sparse: no 30 MB written, and none read
    const error = await failure(switchboard().chat({ model: OLLAMA, messages: ask({ type: 'image', path }) }));
    expectInvalid(error, 'messages[0].content[1].path', '30.0 MB (31457280 bytes) is over the limit of 20.0 MB');
    expect(server.providerRequests).toHaveLength(0);
  });

  it("holds a file to the provider's catalog limit (Bedrock: 3.75 MB)", async () => {
    const path = join(dir, 'four-mb.png');
    writeFileSync(path, PNG_1X1);
    truncateSync(path, 4 * MB);
    const error = await failure(switchboard().chat({ model: BEDROCK, messages: ask({ type: 'image', path }) }));
    expectInvalid(error, 'messages[0].content[1].path', 'over the limit of 3.8 MB (3932160 bytes)');
  });

  it('refuses a text file named .png with its detected type', async () => {
    const path = join(dir, 'notes.png');
    writeFileSync(path, 'OPENAI_API_KEY=sk-not-an-image\n');
    const error = await failure(switchboard().chat({ model: OPENAI, messages: ask({ type: 'image', path }) }));
    expectInvalid(error, 'messages[0].content[1].path', 'the bytes are text/plain, not an image type');
    expect(server.providerRequests).toHaveLength(0);
  });

  it('reads a PDF or text document from a file path; refuses other bytes', async () => {
    const pdf = join(dir, 'doc.pdf');
    writeFileSync(pdf, '%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    await switchboard().chat({ model: OPENAI, messages: ask({ type: 'file', path: pdf }) });
    const file = JSON.parse(server.providerRequests[0]?.body ?? '{}').messages[0].content[1].file;
    expect(file.filename).toBe('doc.pdf');
    expect(file.file_data).toMatch(/^data:application\/pdf;base64,/);
    const png = join(dir, 'doc-really-png.pdf');
    writeFileSync(png, PNG_1X1);
    const error = await failure(switchboard().chat({ model: OPENAI, messages: ask({ type: 'file', path: png }) }));
    expectInvalid(error, 'messages[0].content[1].path', 'the bytes are image/png');
  });
});

describe('base64, data URLs and bytes get the same size and type checks', () => {
  it("refuses base64 over the model's limit from its length (Bedrock: 3.75 MB)", async () => {
    const base64 = Buffer.concat([PNG_1X1, Buffer.alloc(5 * MB)]).toString('base64');
    const error = await failure(
      switchboard().chat({
        model: BEDROCK,
        messages: ask({ type: 'image', image: `data:image/png;base64,${base64}` }),
      }),
    );
    expectInvalid(error, 'messages[0].content[1].image', 'is over the limit of 3.8 MB');
    expect(server.providerRequests).toHaveLength(0);
  });

  it('refuses bytes over the limit, and base64 file data over the file limit', async () => {
    const bytes = Buffer.concat([PNG_1X1, Buffer.alloc(4 * MB)]);
    const error = await failure(switchboard().chat({ model: BEDROCK, messages: ask({ type: 'image', image: bytes }) }));
    expectInvalid(error, 'messages[0].content[1].image', 'over the limit');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(5 * MB)]).toString('base64');
    const fileError = await failure(
      switchboard().chat({ model: BEDROCK, messages: ask({ type: 'file', data: pdf, mediaType: 'application/pdf' }) }),
    );
    expectInvalid(fileError, 'messages[0].content[1].data', 'over the limit of 4.5 MB');
    expect(server.providerRequests).toHaveLength(0);
  });

  it('refuses a data URL or bytes that are not an accepted image, naming the detected type', async () => {
    const text = Buffer.from('just text, not a picture').toString('base64');
    const error = await failure(
      switchboard().chat({ model: OPENAI, messages: ask({ type: 'image', image: `data:image/png;base64,${text}` }) }),
    );
    expectInvalid(error, 'messages[0].content[1].image', 'the bytes are text/plain');
    const bmp = Buffer.from([0x42, 0x4d, 0, 0, 0, 0, 0, 0, 0, 0]);
    const bmpError = await failure(switchboard().chat({ model: OPENAI, messages: ask({ type: 'image', image: bmp }) }));
    expectInvalid(bmpError, 'messages[0].content[1].image', 'the bytes are image/bmp');
    expect(server.providerRequests).toHaveLength(0);
  });

  it('sends a PNG data URL under the type of its bytes', async () => {
    const dataUrl = `data:image/jpeg;base64,${PNG_1X1.toString('base64')}`;
    await switchboard().chat({ model: OPENAI, messages: ask({ type: 'image', image: dataUrl }) });
    expect(server.providerRequests[0]?.body).toContain(`data:image/png;base64,${PNG_1X1.toString('base64')}`);
  });
});

describe('image URLs for protocols without URL support (Ollama, Bedrock) are downloaded with guards', () => {
  it.each([OLLAMA, BEDROCK])('%s: refuses 127.0.0.1 and localhost by default, before connecting', async (model) => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const url = server.url.replace('127.0.0.1', host);
      const error = await failure(
        switchboard().chat({ model, messages: ask({ type: 'image', image: `${url}/img/cat.png` }) }),
      );
      expectInvalid(error, 'messages[0].content[1].image', 'a loopback address');
      expect(error.message).toContain('allowPrivateImageUrls');
    }
    expect(server.imageRequests).toHaveLength(0);
    expect(server.providerRequests).toHaveLength(0);
  });

  it('Ollama: downloads with allowPrivateImageUrls and sends the bytes', async () => {
    const sb = switchboard({ allowPrivateImageUrls: true });
    await sb.chat({ model: OLLAMA, messages: ask({ type: 'image', image: `${server.url}/img/cat.png` }) });
    expect(server.imageRequests).toEqual(['/img/cat.png']);
    expect(JSON.parse(server.providerRequests[0]?.body ?? '{}').messages[0].images).toEqual([
      PNG_1X1.toString('base64'),
    ]);
  });

  it('Bedrock: downloads with allowPrivateImageUrls and sends the bytes', async () => {
    const sb = switchboard({ allowPrivateImageUrls: true });
    await sb.chat({ model: BEDROCK, messages: ask({ type: 'image', image: `${server.url}/img/cat.png` }) });
    expect(server.imageRequests).toEqual(['/img/cat.png']);
    const block = JSON.parse(server.providerRequests[0]?.body ?? '{}').messages[0].content[1];
    expect(block).toEqual({ image: { format: 'png', source: { bytes: PNG_1X1.toString('base64') } } });
  });

  it.each([OLLAMA, BEDROCK])(
    '%s: refuses a redirect to 169.254.169.254, even with private addresses allowed',
    async (model) => {
      const sb = switchboard({ allowPrivateImageUrls: true });
      const error = await failure(
        sb.chat({ model, messages: ask({ type: 'image', image: `${server.url}/img/to-metadata` }) }),
      );
      expectInvalid(error, 'messages[0].content[1].image', '169.254.169.254, a cloud metadata address');
      expect(server.imageRequests).toEqual(['/img/to-metadata']);
      expect(server.providerRequests).toHaveLength(0);
    },
  );

  it('follows at most 3 redirects', async () => {
    const sb = switchboard({ allowPrivateImageUrls: true });
    const error = await failure(
      sb.chat({ model: OLLAMA, messages: ask({ type: 'image', image: `${server.url}/img/loop/0` }) }),
    );
    expectInvalid(error, 'messages[0].content[1].image', 'more than 3 redirects');
    expect(server.imageRequests).toEqual(['/img/loop/0', '/img/loop/1', '/img/loop/2', '/img/loop/3']);
  });

  it('stops reading an endless image at the cap', async () => {
    const sb = switchboard({ allowPrivateImageUrls: true });
    const error = await failure(
      sb.chat({ model: BEDROCK, messages: ask({ type: 'image', image: `${server.url}/img/endless` }) }),
    );
    expectInvalid(error, 'messages[0].content[1].image', 'over the limit of 3.8 MB');
    expect(server.providerRequests).toHaveLength(0);
    // The server wrote what fits in the socket buffers past the cap, not an unbounded stream.
    expect(server.endlessBytesSent()).toBeLessThan(3_932_160 + 16 * MB);
  });
});

describe("the call's timeout and abort signal cover file reads and downloads", () => {
  it('a stalled image download ends with the call timeout as a TimeoutError', async () => {
    const sb = switchboard({ allowPrivateImageUrls: true });
    const error = await failure(
      sb.chat({ model: OLLAMA, timeout: 200, messages: ask({ type: 'image', image: `${server.url}/img/stall` }) }),
    );
    expect(error.kind).toBe('timeout');
    expect(server.imageRequests).toEqual(['/img/stall']);
    expect(server.providerRequests).toHaveLength(0);
  });

  it("a stalled image download ends with the user's abort reason", async () => {
    const sb = switchboard({ allowPrivateImageUrls: true });
    const controller = new AbortController();
    const reason = new Error('user gave up');
    const pending = sb.chat({
      model: OLLAMA,
      signal: controller.signal,
      messages: ask({ type: 'image', image: `${server.url}/img/stall` }),
    });
    while (server.imageRequests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(reason);
    // An AbortedError (kind aborted, name AbortError) carrying the user's reason as its cause (issue 9).
    expect(await failure(pending)).toMatchObject({ kind: 'aborted', name: 'AbortError', cause: reason });
    expect(server.providerRequests).toHaveLength(0);
  });

  it('an abort while a file is being read rejects with the abort reason, nothing sent', async () => {
    // Text named .png: had the read finished despite the abort, the call would fail with the
    // type error instead of the abort reason.
    const path = join(dir, 'big-text.png');
    writeFileSync(path, 'a'.repeat(10 * MB));
    const controller = new AbortController();
    const reason = new Error('stop reading');
    const pending = switchboard().chat({
      model: OPENAI,
      signal: controller.signal,
      messages: ask({ type: 'image', path }),
    });
    controller.abort(reason); // the read has started (resolving the path) but not finished
    expect(await failure(pending)).toMatchObject({ kind: 'aborted', name: 'AbortError', cause: reason });
    expect(server.providerRequests).toHaveLength(0);
  });

  it('a stream with a path image reads it under the stream signal', async () => {
    const fifo = join(dir, 'stream-pipe.png');
    execFileSync('mkfifo', [fifo]);
    const stream = switchboard().stream({ model: OPENAI, messages: ask({ type: 'image', path: fifo }) });
    const error = await failure(stream.response);
    expectInvalid(error, 'messages[0].content[1].path', 'FIFO');
  });
});
