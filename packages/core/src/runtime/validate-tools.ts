/**
 * Checks a chat request's `tools` and `toolChoice` before anything is sent: every tool an object
 * with a valid, unique name and a parameters schema that is zod or valid JSON Schema, and a forced
 * tool choice that names one of them.
 *
 * Tool names follow one strict rule for every protocol, `^[a-zA-Z0-9_-]{1,64}$` (OpenAI, Anthropic
 * and Bedrock's rule; Gemini allows a superset): the same tools go to every fallback target, so a
 * name one provider accepts and the next refuses would fail only on fallback, when it hurts most.
 */
import { checkString, fail, isRecord, RequestValidationError } from './validate-field.js';
import { checkSchema } from './validate-json-schema.js';

/** The tool name rule shared by every protocol. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Throws `RequestValidationError` naming the first bad field of `tools` (an array or a record by name). */
export function validateTools(tools: unknown): string[] {
  const names: string[] = [];
  if (Array.isArray(tools)) {
    for (let index = 0; index < tools.length; index++) validateTool(tools[index], `tools[${index}]`, undefined, names);
  } else if (isRecord(tools)) {
    for (const key of Object.keys(tools)) validateTool(tools[key], `tools.${key}`, key, names);
  } else fail('tools', 'an array of tools or an object of tools by name', tools);
  return names;
}

function validateTool(tool: unknown, field: string, key: string | undefined, names: string[]): void {
  if (!isRecord(tool)) fail(field, 'a tool ({ name, description?, parameters, execute? })', tool);
  // A tool in a record may leave out its name (the key is used); a name it gives wins, as in listTools.
  const name = tool.name === undefined && key !== undefined ? key : tool.name;
  const nameField = tool.name === undefined && key !== undefined ? field : `${field}.name`;
  if (typeof name !== 'string' || !TOOL_NAME.test(name))
    fail(nameField, '1 to 64 letters, digits, underscores or hyphens (a tool name every provider accepts)', name);
  if (names.includes(name)) throw new RequestValidationError(nameField, `repeats the tool name '${name}'`);
  names.push(name);
  if (tool.description !== undefined) checkString(`${field}.description`, tool.description, false);
  if (tool.execute !== undefined && typeof tool.execute !== 'function')
    fail(`${field}.execute`, 'a function', tool.execute);
  checkSchema(`${field}.parameters`, tool.parameters);
}

/** Throws unless `toolChoice` is 'auto', 'none', 'required' or `{ name }` of one of `toolNames`. */
export function validateToolChoice(toolChoice: unknown, toolNames: readonly string[]): void {
  if (toolChoice === 'auto' || toolChoice === 'none' || toolChoice === 'required') return;
  if (!isRecord(toolChoice)) fail('toolChoice', "'auto', 'none', 'required' or { name }", toolChoice);
  checkString('toolChoice.name', toolChoice.name, true);
  if (toolNames.length > 0 && !toolNames.includes(toolChoice.name as string))
    throw new RequestValidationError('toolChoice.name', `names no tool of the request: '${toolChoice.name}'`);
}
