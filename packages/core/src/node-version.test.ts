import { describe, expect, it } from 'vitest';
import { assertSupportedNode, isSupportedNode, MINIMUM_NODE } from './node-version.js';

describe('node version check', () => {
  it('the minimum is undici 8’s: Node 22.19.0', () => {
    expect(MINIMUM_NODE).toBe('22.19.0');
  });

  it('accepts the minimum and anything newer, with or without the leading v', () => {
    for (const version of ['v22.19.0', '22.19.0', 'v22.19.1', 'v22.20.0', 'v23.0.0', 'v24.21.0', '25.0.0-nightly']) {
      expect(isSupportedNode(version), version).toBe(true);
    }
  });

  it('refuses the versions on which undici or eventsource-parser break', () => {
    for (const version of ['v22.18.9', 'v22.12.0', 'v22.0.0', 'v21.7.3', 'v20.20.2', 'v18.20.0']) {
      expect(isSupportedNode(version), version).toBe(false);
    }
  });

  it('names the version needed and the one running', () => {
    expect(() => assertSupportedNode('v20.20.2')).toThrow(/^Switchboard needs Node >= 22\.19 \(this is v20\.20\.2\)/);
    expect(() => assertSupportedNode('22.12.0')).toThrow('(this is v22.12.0)');
    expect(() => assertSupportedNode('v22.19.0')).not.toThrow();
  });
});
