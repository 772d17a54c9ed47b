/**
 * Reads a local file for the explicit file APIs (`{ type: 'image', path }`, `imageFromFile`,
 * `visionMessage` paths) as untrusted input: regular files only (no devices, FIFOs or sockets,
 * nothing under /proc or /sys), never more than the size cap (a growing or lying file is cut at the
 * cap and refused), and abortable by the call's signal between chunks. `readFile` is not used: it
 * reads `/dev/zero` until memory runs out and blocks forever on a FIFO.
 */
import { constants } from 'node:fs';
import { type FileHandle, open, realpath, stat } from 'node:fs/promises';
import { InvalidRequestError } from '../errors/errors.js';
import { previewValue, tooLarge } from './media-source.js';

/** Default cap of a local file or downloaded image when neither the model nor the provider states one. */
export const DEFAULT_MAX_MEDIA_BYTES = 20 * 1024 * 1024;

const CHUNK_BYTES = 1024 * 1024;
/** Pseudo file systems whose "files" are the process's or the kernel's state, never a user's document. */
const FORBIDDEN_ROOTS = ['/proc/', '/sys/', '/dev/'];

export interface LocalFileOptions {
  /** Largest file accepted, bytes; a larger one is refused before (or, if it grows, while) reading. */
  maxBytes: number;
  /** The call's signal: aborting it rejects the read with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Where the path came from, for messages (`messages[0].content[1].path`). */
  field: string;
}

function refuse(field: string, path: string, problem: string, cause?: unknown): InvalidRequestError {
  return new InvalidRequestError(`${field}: cannot read ${previewValue(path)}: ${problem}`, {
    retryable: false,
    ...(cause === undefined ? {} : { cause }),
  });
}

function kindOf(stats: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'a special file';
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Resolves when `promise` does, or rejects with the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  throwIfAborted(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new DOMException('This operation was aborted', 'AbortError'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Reads at most `maxBytes` of a regular file. Refuses (InvalidRequestError naming `field`) a
 * missing file, a non-regular file, a path under /proc, /sys or /dev (after resolving symlinks),
 * and a file larger than the cap, the latter from its size before reading and again while reading.
 */
export async function readLocalFile(path: string, options: LocalFileOptions): Promise<Buffer> {
  const { field, maxBytes, signal } = options;
  if (typeof path !== 'string' || path === '')
    throw new InvalidRequestError(`${field}: must be a non-empty file path`, { retryable: false });
  throwIfAborted(signal);
  let real: string;
  try {
    real = await abortable(realpath(path), signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw refuse(
      field,
      path,
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((error as Error).message),
      error,
    );
  }
  const before = await abortable(stat(real), signal);
  if (!before.isFile()) throw refuse(field, path, `it is ${kindOf(before)}, not a regular file`);
  if (FORBIDDEN_ROOTS.some((root) => real.startsWith(root)))
    throw refuse(field, path, `it resolves to ${previewValue(real)}, a kernel pseudo-file, not a document`);
  if (before.size > maxBytes) throw tooLarge(field, before.size, maxBytes);

  // O_NONBLOCK: should the path be swapped for a FIFO after the check, open does not wait for a writer.
  let handle: FileHandle;
  try {
    handle = await abortable(open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY), signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw refuse(field, path, String((error as Error).message), error);
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.ino !== before.ino || opened.dev !== before.dev)
      throw refuse(field, path, 'the file changed while it was opened');
    // One byte more than the cap tells a file that grew past it from one exactly at it.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(opened.size, 0) + 1));
    let total = 0;
    while (total < buffer.length) {
      throwIfAborted(signal);
      const length = Math.min(CHUNK_BYTES, buffer.length - total);
      const { bytesRead } = await abortable(handle.read(buffer, total, length, total), signal);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > maxBytes) throw tooLarge(field, total, maxBytes);
    if (total > opened.size) throw refuse(field, path, 'the file grew while it was read');
    return buffer.subarray(0, total);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
