/**
 * The forms a leaked key can take in a file or a text, for tests that check recordings and cache files
 * hold no key. An oracle of its own, independent of core's secret matcher (which is internal to core,
 * and is the code under test): each encoding the leak server echoes, JSON-escaped, hex, base64 at each
 * byte alignment (standard and URL-safe), and every 12-character window of the key.
 */
import { echoForms } from './leak-server.js';

/** base64 fragments of `secret` that appear whatever bytes surround it (one per byte alignment). */
function base64Fragments(secret: string): string[] {
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(secret)]);
    const fragment = bytes.toString('base64').slice(offset === 0 ? 0 : offset + 1, Math.floor(bytes.length / 3) * 4);
    fragments.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return fragments;
}

/** Every string whose presence means `secret` leaked, mapped to the name of its encoding. */
export function leakForms(secret: string): Map<string, string> {
  const forms = new Map<string, string>();
  for (const [name, form] of Object.entries(echoForms(secret)))
    if (name !== 'prefix20' && name !== 'suffix12') forms.set(form, name);
  forms.set(JSON.stringify(secret).slice(1, -1), 'json');
  forms.set(Buffer.from(secret).toString('hex'), 'hex');
  for (const fragment of base64Fragments(secret)) forms.set(fragment, 'base64 fragment');
  for (let start = 0; start + 12 <= secret.length; start++)
    forms.set(secret.slice(start, start + 12), '12-char window');
  return forms;
}

/** Each key of `keys` found in `text`, as `KEY_NAME (encoding)`, each once: empty when nothing leaked. */
export function keyLeaksIn(text: string, keys: Readonly<Record<string, string>>): string[] {
  const found = new Set<string>();
  for (const [name, key] of Object.entries(keys))
    for (const [form, encoding] of leakForms(key)) if (text.includes(form)) found.add(`${name} (${encoding})`);
  return [...found];
}
