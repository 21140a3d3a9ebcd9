import { BlockList, isIP } from 'node:net';

// Push endpoints are chosen by the browser, but the request to them is made by this server with
// whatever URL a signed-in reader sent: so never to an address inside our own network (SSRF).

/** IPv4 ranges that are not on the public internet (RFC 6890 and friends). */
const IPV4_RESERVED: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const ipv4Reserved = new BlockList();
for (const [net, prefix] of IPV4_RESERVED) ipv4Reserved.addSubnet(net, prefix, 'ipv4');

// IPv6: only global unicast (2000::/3) counts as public, which already leaves out loopback,
// unspecified, IPv4-mapped (::ffff:0:0/96), NAT64, unique-local, link-local and multicast; minus the
// special blocks inside it that embed or tunnel IPv4 (6to4, Teredo) or are for documentation.
const ipv6Global = new BlockList();
ipv6Global.addSubnet('2000::', 3, 'ipv6');
const ipv6Special = new BlockList();
for (const [net, prefix] of [
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
] as const)
  ipv6Special.addSubnet(net, prefix, 'ipv6');

/** True for an IP address on the public internet; false for private, loopback, link-local and the like. */
export function isPublicAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '');
  const family = isIP(ip);
  if (family === 4) return !ipv4Reserved.check(ip, 'ipv4');
  if (family === 6) return ipv6Global.check(ip, 'ipv6') && !ipv6Special.check(ip, 'ipv6');
  return false;
}

/** The test suite's local push service: plain http on 127.0.0.1 (only with PUSH_ALLOW_LOCAL_ENDPOINTS). */
export const isLocalTestEndpoint = (url: URL) => url.protocol === 'http:' && url.hostname === '127.0.0.1';

/**
 * Whether the server may POST to `endpoint`: an https URL without credentials whose host is a name
 * (with a dot, not `localhost`) or a public IP literal. With `allowLocal`, http://127.0.0.1:<port>/… too.
 * Names are checked again when resolved (send.ts), so a name pointing inside is refused as well.
 */
export function isAllowedPushEndpoint(endpoint: string, allowLocal: boolean): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (allowLocal && isLocalTestEndpoint(url)) return true;
  if (url.protocol !== 'https:') return false;
  // WHATWG URL parsing has already turned 0x7f.1, 2130706433 and the like into dotted IPv4.
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (!host || host === 'localhost' || host.endsWith('.localhost')) return false;
  if (isIP(host.replace(/^\[|\]$/g, ''))) return isPublicAddress(host);
  // A single-label name (`https://intranet/`) can only be a name on the local network.
  return host.includes('.');
}
