/**
 * Which network addresses the runtime may download an image from on a user's behalf. An image URL
 * in a message is untrusted text: without this check it could make the server running Switchboard
 * fetch from itself (127.0.0.1), its private network, or the cloud metadata service
 * (169.254.169.254, fd00:ec2::254) and send the answer to a model (server-side request forgery).
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

interface Range {
  network: string;
  prefix: number;
  why: string;
}

const IPV4_RANGES: readonly Range[] = [
  { network: '0.0.0.0', prefix: 8, why: 'unspecified' },
  { network: '10.0.0.0', prefix: 8, why: 'private' },
  { network: '100.64.0.0', prefix: 10, why: 'carrier-grade NAT' },
  { network: '127.0.0.0', prefix: 8, why: 'loopback' },
  { network: '169.254.0.0', prefix: 16, why: 'link-local' },
  { network: '172.16.0.0', prefix: 12, why: 'private' },
  { network: '192.0.0.0', prefix: 24, why: 'IETF protocol assignments' },
  { network: '192.168.0.0', prefix: 16, why: 'private' },
  { network: '198.18.0.0', prefix: 15, why: 'benchmarking' },
  { network: '224.0.0.0', prefix: 4, why: 'multicast' },
  { network: '240.0.0.0', prefix: 4, why: 'reserved' },
];

const IPV6_RANGES: readonly Range[] = [
  { network: '::', prefix: 128, why: 'unspecified' },
  { network: '::1', prefix: 128, why: 'loopback' },
  { network: 'fc00::', prefix: 7, why: 'private (unique local)' },
  { network: 'fe80::', prefix: 10, why: 'link-local' },
  { network: 'fec0::', prefix: 10, why: 'site-local' },
  { network: 'ff00::', prefix: 8, why: 'multicast' },
];

/** Addresses named apart because reaching them leaks credentials (cloud instance metadata). */
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254', '169.254.170.2', '100.100.100.200']);

function buildList(ranges: readonly Range[], family: 'ipv4' | 'ipv6'): Array<{ list: BlockList; why: string }> {
  return ranges.map((range) => {
    const list = new BlockList();
    list.addSubnet(range.network, range.prefix, family);
    return { list, why: range.why };
  });
}

const V4 = buildList(IPV4_RANGES, 'ipv4');
const V6 = buildList(IPV6_RANGES, 'ipv6');

/** The 8 groups of an IPv6 address as numbers (handles `::` and a trailing dotted IPv4). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const octets = last.split('.').map(Number);
    tail.push(((octets[0] ?? 0) << 8) | (octets[1] ?? 0), ((octets[2] ?? 0) << 8) | (octets[3] ?? 0));
    text = text.slice(0, lastColon);
    if (text.endsWith(':')) text += ':'; // '::1.2.3.4' and '64:ff9b::1.2.3.4' keep their '::'
  }
  const [head = '', rest] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const missing = 8 - tail.length - left.length - right.length;
  return [...left, ...new Array(Math.max(missing, 0)).fill(0), ...right, ...tail];
}

/** The IPv4 address an IPv6 address embeds (IPv4-mapped, NAT64, 6to4, IPv4-compatible), if any. */
export function embeddedIPv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (g.length !== 8) return undefined;
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  const zeros = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated but still routed by some stacks)
  if (zeros(0, 5) && (g[5] === 0xffff || (g[5] === 0 && ((g[6] ?? 0) !== 0 || (g[7] ?? 0) > 1))))
    return v4(g[6] ?? 0, g[7] ?? 0);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6] ?? 0, g[7] ?? 0); // NAT64 64:ff9b::/96
  if (g[0] === 0x2002) return v4(g[1] ?? 0, g[2] ?? 0); // 6to4
  return undefined;
}

/**
 * Why an address must never be fetched from, even with `allowPrivateImageUrls`: the cloud instance
 * metadata services (their answers are credentials). Undefined for any other address.
 */
export function metadataAddressReason(address: string): string | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const lower = bare.toLowerCase();
  if (METADATA.has(lower)) return 'cloud metadata';
  const inner = isIPv6(lower) ? embeddedIPv4(lower) : undefined;
  return inner !== undefined && METADATA.has(inner) ? 'cloud metadata' : undefined;
}

/**
 * Why an address must not be fetched from (`'loopback'`, `'private'`, `'cloud metadata'`, ...), or
 * undefined when it is a public unicast address. Anything that is not an IP address is refused.
 */
export function forbiddenAddressReason(address: string): string | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (METADATA.has(bare.toLowerCase())) return 'cloud metadata';
  if (isIPv4(bare)) {
    for (const { list, why } of V4) if (list.check(bare, 'ipv4')) return why;
    return undefined;
  }
  if (isIPv6(bare)) {
    const inner = embeddedIPv4(bare);
    if (inner !== undefined) {
      const reason = forbiddenAddressReason(inner);
      if (reason !== undefined) return reason;
    }
    const unzoned = bare.includes('%') ? bare.slice(0, bare.indexOf('%')) : bare;
    for (const { list, why } of V6) if (list.check(unzoned, 'ipv6')) return why;
    return undefined;
  }
  return 'not an IP address';
}
