import { describe, expect, it } from 'vitest';
import { capabilityKey, normalizeCapability, resolveCapabilities, suggestCapability } from './capabilities.js';
import { UnknownCapabilityError } from './errors.js';

describe('normalizeCapability', () => {
  it('maps every spelling of an alias to its canonical name', () => {
    for (const name of [
      'tools',
      'tool_use',
      'Tool Use',
      'function_calling',
      'FUNCTIONS',
      'supports_function_calling',
    ]) {
      expect(normalizeCapability(name)).toBe('tools');
    }
    expect(normalizeCapability('image_input')).toBe('vision');
    expect(normalizeCapability('multimodal')).toBe('vision');
    expect(normalizeCapability('extended_thinking')).toBe('reasoning');
    expect(capabilityKey('  JSON_Mode ')).toBe('json-mode');
  });

  it('returns undefined for unknown names', () => {
    expect(normalizeCapability('teleportation')).toBeUndefined();
  });
});

describe('resolveCapabilities', () => {
  it('de-duplicates and keeps order', () => {
    expect(resolveCapabilities(['tool_use', 'vision', 'function_calling'])).toEqual(['tools', 'vision']);
  });

  it('throws with the closest canonical name', () => {
    expect(suggestCapability('visoin')).toBe('vision');
    try {
      resolveCapabilities(['tols']);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UnknownCapabilityError);
      expect((error as UnknownCapabilityError).suggestion).toBe('tools');
      expect((error as UnknownCapabilityError).kind).toBe('invalid-request');
      expect((error as Error).message).toContain('Did you mean "tools"');
    }
    expect(() => resolveCapabilities(['xyzzy-quux-frobnicate'])).toThrow(
      /Unknown capability "xyzzy-quux-frobnicate"\.$/,
    );
  });
});
