import { isIPv4, isIPv6 } from 'node:net';

/**
 * What counts as a raw address, for the privacy checks. An address is personal data in every
 * textual form, so these are all refused:
 * - IPv4: the whole address, and its /24 network (the first three octets, as in `a.b.c.0/24`):
 *   a /24 often holds a handful of homes, so it is not anonymous either.
 * - IPv6: the whole address in any spelling (compressed, expanded, any case), and its /64 prefix:
 *   the /64 is a home's network and exactly what Earshot keys a household on (IAB truncation), so
 *   storing it would be storing the household in the clear.
 * Only the keyed hash (HMAC under a monthly key) of the truncated address may be kept.
 */
export class RawIpScanner {
  readonly #v4 = new Set<string>();
  readonly #v4Networks = new Set<string>();
  readonly #v6 = new Set<string>();
  readonly #v6Networks = new Set<string>();

  constructor(addresses: Iterable<string>) {
    for (const address of addresses) {
      if (isIPv4(address)) {
        this.#v4.add(address);
        this.#v4Networks.add(address.split('.').slice(0, 3).join('.'));
      } else if (isIPv6(address)) {
        const groups = expandIpv6(address);
        if (!groups) throw new Error(`cannot expand ${address}`);
        this.#v6.add(groups.join(':'));
        this.#v6Networks.add(groups.slice(0, 4).join(':'));
      } else throw new Error(`not an IP address: ${address}`);
    }
  }

  /** Every raw address, or network of one, found in the text, as written there. */
  find(text: string): string[] {
    const found: string[] = [];
    for (const match of text.matchAll(/(?<![\d.])\d{1,3}\.\d{1,3}\.\d{1,3}(?:\.\d{1,3})?(?!\d)/g)) {
      const token = match[0];
      if (this.#v4.has(token) || this.#v4Networks.has(token.split('.').slice(0, 3).join('.'))) found.push(token);
    }
    for (const match of text.matchAll(/(?<![0-9a-fA-F:])[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){3,7}(?![0-9a-fA-F:])/g)) {
      const token = match[0];
      const groups = expandIpv6(token) ?? (token.includes('::') ? undefined : token.split(':').map(normalizeGroup));
      if (!groups || groups.length < 4) continue;
      if (this.#v6.has(groups.join(':')) || this.#v6Networks.has(groups.slice(0, 4).join(':'))) found.push(token);
    }
    return found;
  }
}

const normalizeGroup = (group: string) => group.toLowerCase().padStart(4, '0');

/** The eight 4-digit groups of an IPv6 address (without an embedded IPv4 part); undefined otherwise. */
function expandIpv6(text: string): string[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  return groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? groups.map(normalizeGroup) : undefined;
}
