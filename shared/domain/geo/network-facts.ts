/**
 * What intake learns about a request's address before it is hashed: only names and numbers that
 * cannot identify the address (DESIGN.md §7 geography and privacy). `datacenter` names the hosting
 * network when the address belongs to one.
 */
export interface NetworkFacts {
  /** ISO 3166-1 alpha-2 country. */
  country?: string;
  /** First-level subdivision (state, province, region) as the database names it. */
  region?: string;
  /** US metro area (Nielsen DMA code) when the database gives one. */
  metro?: string;
  /** Autonomous system that announces the address. */
  asn?: number;
  /** Hosting provider of that system (`shared/domain/geo/hosting-networks.ts`). */
  datacenter?: string;
}

/** Looks addresses up; `version` names the databases, recorded with every row they enriched. */
export interface IpLookup {
  readonly version: string;
  /**
   * The facts of `ip`. `householdKey`, the address's household key, lets a lookup remember the
   * answer under that key (never under the address, which must not outlive its request).
   */
  lookup(ip: string, householdKey?: string): Readonly<NetworkFacts>;
}

const isCountryCode = (value: unknown): value is string => typeof value === 'string' && /^[A-Z]{2}$/.test(value);
const isName = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200;

type Json = Record<string, unknown>;
const field = (value: unknown, key: string): unknown => (typeof value === 'object' && value !== null ? (value as Json)[key] : undefined);

/**
 * The geography in a city database record. Two layouts are read: ip-location-db's flat one
 * (`country_code`, `state1`) that the shipped DB-IP Lite database has, and MaxMind's GeoIP2 /
 * GeoLite2 City layout (`country.iso_code`, `subdivisions[0].names.en`, `location.metro_code`),
 * the one that carries US metro codes.
 */
export function computeGeography(record: unknown): Pick<NetworkFacts, 'country' | 'region' | 'metro'> {
  const facts: Pick<NetworkFacts, 'country' | 'region' | 'metro'> = {};
  const country = field(record, 'country_code') ?? field(field(record, 'country'), 'iso_code');
  if (isCountryCode(country)) facts.country = country;
  const subdivisions = field(record, 'subdivisions');
  const region = field(record, 'state1') ?? field(field(Array.isArray(subdivisions) ? subdivisions[0] : undefined, 'names'), 'en');
  if (isName(region)) facts.region = region;
  const metro = field(record, 'metro_code') ?? field(field(record, 'location'), 'metro_code');
  if (facts.country === 'US' && (typeof metro === 'number' || (typeof metro === 'string' && /^\d{3}$/.test(metro)))) facts.metro = String(metro);
  return facts;
}
