import { describe, expect, it } from 'vitest';
import { embeddedIPv4, forbiddenAddressReason, metadataAddressReason } from './address-check.js';

describe('forbiddenAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private (unique local)'],
    ['fdab:cdef::1', 'private (unique local)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['169.254.169.254', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(forbiddenAddressReason(address)).toBe(reason);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'cloud metadata'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:c0a8:101::', 'private'],
    ['[::1]', 'loopback'],
  ])('sees through IPv6 forms embedding IPv4: %s', (address, reason) => {
    expect(forbiddenAddressReason(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(forbiddenAddressReason(address)).toBeUndefined();
    },
  );

  it('refuses what is not an IP address (a name must be resolved first)', () => {
    expect(forbiddenAddressReason('localhost')).toBe('not an IP address');
    expect(forbiddenAddressReason('')).toBe('not an IP address');
  });
});

describe('metadataAddressReason (kept even with allowPrivateImageUrls)', () => {
  it('refuses only the metadata services', () => {
    expect(metadataAddressReason('169.254.169.254')).toBe('cloud metadata');
    expect(metadataAddressReason('fd00:ec2::254')).toBe('cloud metadata');
    expect(metadataAddressReason('::ffff:169.254.169.254')).toBe('cloud metadata');
    expect(metadataAddressReason('127.0.0.1')).toBeUndefined();
    expect(metadataAddressReason('10.0.0.1')).toBeUndefined();
  });
});

describe('embeddedIPv4', () => {
  it('extracts the IPv4 address of mapped, NAT64 and 6to4 forms only', () => {
    expect(embeddedIPv4('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(embeddedIPv4('64:ff9b::102:304')).toBe('1.2.3.4');
    expect(embeddedIPv4('2002:102:304::1')).toBe('1.2.3.4');
    expect(embeddedIPv4('2606:4700::1111')).toBeUndefined();
    expect(embeddedIPv4('::1')).toBeUndefined();
  });
});
