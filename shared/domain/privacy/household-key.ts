import { createHmac, hkdfSync } from 'node:crypto';
import { tryTruncateIp } from './ip.ts';

/** `YYYY-MM` of a timestamp in UTC: keys rotate per calendar month (docs/architecture.md, Privacy). */
export function computeKeyMonth(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** The month before `at`'s when `at` lies within `withinMs` of its month's start, else undefined. */
export function computePreviousKeyMonth(at: Date, withinMs: number): string | undefined {
  const monthStart = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
  return at.getTime() - monthStart < withinMs ? computeKeyMonth(new Date(monthStart - 1)) : undefined;
}

/** What enriching a record needs of a keyer. */
export type BatchHouseholdKeyer = Pick<HouseholdKeyer, 'contentDigest' | 'tryHouseholdKeys' | 'tryListenerKey'>;

/**
 * Derives the monthly HMAC keys from one master secret, caching one key per month. Raw IPs are
 * hashed in memory and never leave it: only the key's output is stored or published.
 */
export class HouseholdKeyer {
  readonly #master: Buffer;
  readonly #monthKeys = new Map<string, Buffer>();
  readonly #listenerMonthKeys = new Map<string, Buffer>();
  readonly #contentKey: Buffer;

  /** Refuses an empty key: what a function that is not given the master key holds (shared/platform/config/merge-secrets.ts). */
  constructor(masterKey: string) {
    if (masterKey === '') throw new Error('household keys need the privacy master key, and this function is not given it');
    this.#master = Buffer.from(masterKey, 'utf8');
    this.#contentKey = Buffer.from(hkdfSync('sha256', this.#master, 'earshot/content', 'content-id', 32));
  }

  #keyFor(month: string, keys = this.#monthKeys, purpose = 'earshot/household'): Buffer {
    let key = keys.get(month);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.#master, purpose, `month:${month}`, 32));
      keys.set(month, key);
    }
    return key;
  }

  /** A keyed digest that does not rotate: stable ids for content that may include an address. */
  contentDigest(text: string): string {
    return createHmac('sha256', this.#contentKey).update(text).digest('base64url').slice(0, 32);
  }

  /** The household key of an address in the month of `at`, or undefined when `ip` is not an address. */
  tryHouseholdKey(ip: string, at: Date): string | undefined {
    const truncated = tryTruncateIp(ip);
    return truncated && this.#hash(truncated, computeKeyMonth(at));
  }

  /**
   * The listener key of an address and User-Agent in `month` (IAB v2.x: a listener is the IP, as
   * a household, plus the User-Agent), under a month key of its own: analysts count listeners
   * with one column, and it says nothing a household key would not.
   */
  tryListenerKey(ip: string, userAgent: string, month: string): string | undefined {
    const truncated = tryTruncateIp(ip);
    if (!truncated) return undefined;
    const hmac = createHmac('sha256', this.#keyFor(month, this.#listenerMonthKeys, 'earshot/listener'));
    // The address's bytes are fixed-length per family, so a separator after them keeps the pair unambiguous.
    return hmac.update(truncated).update('\0').update(userAgent).digest('base64url').slice(0, 22);
  }

  /** The keys of an address under each of the given months' keys (matching across rotations). */
  tryHouseholdKeys(ip: string, months: readonly string[]): string[] | undefined {
    const truncated = tryTruncateIp(ip);
    return truncated && months.map((month) => this.#hash(truncated, month));
  }

  /**
   * The same keys, remembered for one batch: a server log repeats a listener's address and agent for
   * each range request. Scoped to the batch so no address outlives the request that brought it.
   */
  forBatch(): BatchHouseholdKeyer {
    const known = new Map<string, string[] | undefined>();
    const listeners = new Map<string, string | undefined>();
    return {
      contentDigest: (text) => this.contentDigest(text),
      tryListenerKey: (ip, userAgent, month) => {
        const id = `${month}|${ip}|${userAgent}`;
        if (listeners.has(id)) return listeners.get(id);
        const key = this.tryListenerKey(ip, userAgent, month);
        listeners.set(id, key);
        return key;
      },
      tryHouseholdKeys: (ip, months) => {
        const id = months.length === 1 ? `${months[0]}|${ip}` : `${months.join(',')}|${ip}`;
        if (known.has(id)) return known.get(id);
        const keys = this.tryHouseholdKeys(ip, months);
        known.set(id, keys);
        return keys;
      },
    };
  }

  #hash(truncated: Buffer, month: string): string {
    return createHmac('sha256', this.#keyFor(month)).update(truncated).digest('base64url').slice(0, 22);
  }
}
