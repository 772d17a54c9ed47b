/**
 * The JSON form of a session (versioned) and its validation on load. Core does not import zod
 * (it is an optional peer, see package.json), so the format is checked here field by field; every
 * error names the path that is wrong (`messages[3].toolCalls[0].id must be a string`).
 */
import { SwitchboardError } from '../../errors/errors.js';
import type { CostBreakdown, Message, ModelRef, Usage } from '../../types/requests.js';

/** The `format` marker of saved sessions. */
export const SESSION_FORMAT = 'switchboard-session';
/** The session format version this release writes and reads. */
export const SESSION_VERSION = 1;

/** A session as JSON. */
export interface SessionData {
  format: typeof SESSION_FORMAT;
  version: number;
  id: string;
  name?: string;
  model: ModelRef;
  system?: string;
  /** The JSON-safe default request options (tools, schemas, signals and headers are never saved). */
  defaults: Record<string, unknown>;
  messages: Message[];
  usage: Usage;
  cost?: CostBreakdown;
  /** Completed turns. */
  turns: number;
  createdAt: string;
  updatedAt: string;
}

/** A saved session is not valid: foreign, from a newer version, or corrupt. `path` names the field. */
export class SessionFormatError extends SwitchboardError {
  override name = 'SessionFormatError';
  readonly path: string;
  constructor(message: string, path: string) {
    super('invalid-request', message, { retryable: false });
    this.path = path;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fail(path: string, problem: string): never {
  throw new SessionFormatError(`Invalid session data: ${path} ${problem}`, path);
}

function string(value: unknown, path: string, optional = false): void {
  if (optional && value === undefined) return;
  if (typeof value !== 'string') fail(path, 'must be a string');
}

function number(value: unknown, path: string, optional = false): void {
  if (optional && value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'must be a number');
}

function validatePart(part: unknown, path: string, allowed: readonly string[]): void {
  if (!isObject(part)) fail(path, 'must be an object');
  if (!allowed.includes(part.type as string)) fail(`${path}.type`, `must be one of ${allowed.join(', ')}`);
  if (part.type === 'text') string(part.text, `${path}.text`);
  // An image or file part holds its bytes inline (`image` / `data`) or names a local file the user
  // gave through the explicit path API (`path`), read again under the file rules when the session
  // calls the model.
  if (part.type === 'image') string(part.path === undefined ? part.image : part.path, `${path}.image`);
  if (part.type === 'file') {
    string(part.path === undefined ? part.data : part.path, `${path}.data`);
    string(part.mediaType, `${path}.mediaType`, part.path !== undefined);
  }
}

function validateMessage(message: unknown, path: string): void {
  if (!isObject(message)) fail(path, 'must be an object');
  switch (message.role) {
    case 'system':
      string(message.content, `${path}.content`);
      return;
    case 'user':
      if (typeof message.content === 'string') return;
      if (!Array.isArray(message.content)) fail(`${path}.content`, 'must be a string or a list of parts');
      message.content.forEach((part, i) => {
        validatePart(part, `${path}.content[${i}]`, ['text', 'image', 'file']);
      });
      return;
    case 'assistant':
      if (message.content !== null && typeof message.content !== 'string') {
        if (!Array.isArray(message.content)) fail(`${path}.content`, 'must be a string, null or a list of text parts');
        message.content.forEach((part, i) => {
          validatePart(part, `${path}.content[${i}]`, ['text']);
        });
      }
      if (message.toolCalls !== undefined) {
        if (!Array.isArray(message.toolCalls)) fail(`${path}.toolCalls`, 'must be a list');
        message.toolCalls.forEach((call, i) => {
          const at = `${path}.toolCalls[${i}]`;
          if (!isObject(call)) fail(at, 'must be an object');
          string(call.id, `${at}.id`);
          string(call.name, `${at}.name`);
          if (!isObject(call.arguments)) fail(`${at}.arguments`, 'must be an object');
        });
      }
      return;
    case 'tool':
      string(message.toolCallId, `${path}.toolCallId`);
      string(message.content, `${path}.content`);
      string(message.name, `${path}.name`, true);
      return;
    default:
      fail(`${path}.role`, 'must be one of system, user, assistant, tool');
  }
}

/** Checks that `raw` is a session this release can load; throws a SessionFormatError naming the problem. */
export function validateSessionData(raw: unknown): SessionData {
  if (!isObject(raw)) fail('(root)', 'must be a JSON object');
  if (raw.format !== SESSION_FORMAT)
    throw new SessionFormatError(`Not a Switchboard session (expected "format": "${SESSION_FORMAT}")`, 'format');
  if (typeof raw.version !== 'number') fail('version', 'must be a number');
  if (raw.version > SESSION_VERSION)
    throw new SessionFormatError(
      `This session was saved by a newer Switchboard (version ${raw.version}); this one reads version ${SESSION_VERSION}`,
      'version',
    );
  if (raw.version !== SESSION_VERSION) fail('version', `${raw.version} is not supported`);
  string(raw.id, 'id');
  string(raw.name, 'name', true);
  string(raw.system, 'system', true);
  if (typeof raw.model !== 'string') {
    if (!isObject(raw.model)) fail('model', "must be a '<provider>/<model>' string or { provider, model }");
    string(raw.model.provider, 'model.provider');
    string(raw.model.model, 'model.model');
  }
  if (!isObject(raw.defaults)) fail('defaults', 'must be an object');
  if (!Array.isArray(raw.messages)) fail('messages', 'must be a list');
  raw.messages.forEach((message, i) => {
    validateMessage(message, `messages[${i}]`);
  });
  if (!isObject(raw.usage)) fail('usage', 'must be an object');
  for (const field of ['inputTokens', 'outputTokens', 'totalTokens']) number(raw.usage[field], `usage.${field}`);
  if (raw.cost !== undefined) {
    if (!isObject(raw.cost)) fail('cost', 'must be an object');
    number(raw.cost.total, 'cost.total');
  }
  number(raw.turns, 'turns');
  string(raw.createdAt, 'createdAt');
  string(raw.updatedAt, 'updatedAt');
  return raw as unknown as SessionData;
}

/** Parses and validates a session's JSON text. */
export function parseSessionJson(text: string): SessionData {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SessionFormatError(`Invalid session data: not valid JSON (${(error as Error).message})`, '(root)');
  }
  return validateSessionData(raw);
}
