/**
 * Which autonomous systems are hosting and cloud networks (MRC IVT Guidelines: "known data-center
 * traffic" is general invalid traffic). The network of an address comes from the shipped ASN
 * database (RouteViews and DB-IP via `@ip-location-db/asn`); this file decides which of those
 * networks host servers, by the organisation name the database gives each ASN:
 *
 * 1. the large clouds and hosts by name (`providers`), so each is reported under one name;
 * 2. other hosts by name (`otherHosts`), and any other organisation whose name says it hosts
 *    servers (`hostingWords`): "hosting", "data center", "cloud", "VPS", "dedicated servers",
 *    "colocation" ...;
 * 3. minus `notHosting`: networks whose names look like hosting but that carry people — CDNs
 *    whose edges relay real listeners (iCloud Private Relay egresses through Akamai, Cloudflare
 *    and Fastly), and ISPs that share a provider's name (Google Fiber, OVH's broadband AS, public
 *    Wi-Fi "The Cloud").
 *
 * docs/methodology.md (Data-centre traffic) documents the rule and its known limits.
 */

interface Provider {
  name: string;
  organisation: RegExp;
}

/** The large clouds and hosts, by the organisation names their ASNs carry in the database. */
const providers: readonly Provider[] = [
  { name: 'Amazon Web Services', organisation: /^Amazon(\.com|\b.*(Data Services|Technologies|Tech Telecom|Services))/i },
  { name: 'Google Cloud', organisation: /^Google (LLC|, LLC|Ireland|Cloud)/i },
  { name: 'Microsoft Azure', organisation: /^Microsoft (Corporation|Limited|Deutschland)/i },
  { name: 'DigitalOcean', organisation: /^DigitalOcean/i },
  { name: 'Hetzner', organisation: /^Hetzner/i },
  { name: 'OVHcloud', organisation: /^OVH/i },
  { name: 'Akamai Linode', organisation: /^Linode/i },
  { name: 'Vultr', organisation: /^(The Constant Company|Choopa|Vultr)/i },
  { name: 'Oracle Cloud', organisation: /^Oracle (Corporation|America)/i },
  { name: 'Alibaba Cloud', organisation: /^(Hangzhou Alibaba Advertising|Alibaba)/i },
  { name: 'Tencent Cloud', organisation: /^(Tencent|Shenzhen Tencent)/i },
  { name: 'Huawei Cloud', organisation: /^Huawei (Cloud|International)/i },
  { name: 'IBM Cloud', organisation: /^(IBM Cloud|SoftLayer)/i },
  { name: 'Scaleway', organisation: /^(Scaleway|Online S\.?A\.?S)/i },
  { name: 'Contabo', organisation: /^Contabo/i },
  { name: 'Leaseweb', organisation: /^Leaseweb/i },
  { name: 'M247', organisation: /^M247/i },
  { name: 'IONOS', organisation: /^IONOS/i },
  { name: 'GoDaddy', organisation: /^GoDaddy/i },
  { name: 'Hostinger', organisation: /^Hostinger/i },
  { name: 'Equinix', organisation: /^Equinix/i },
  { name: 'Zenlayer', organisation: /^Zenlayer/i },
  { name: 'Datacamp (CDN77)', organisation: /^Datacamp/i },
  { name: 'HostRoyale', organisation: /^HostRoyale/i },
  { name: 'G-Core Labs', organisation: /^G-Core/i },
  { name: 'Yandex Cloud', organisation: /^Yandex\.Cloud/i },
  { name: 'SAKURA Internet', organisation: /^SAKURA Internet/i },
  { name: 'Aruba', organisation: /^Aruba S\.p\.A/i },
  { name: 'Liquid Web', organisation: /^Liquid Web/i },
  { name: 'Latitude.sh', organisation: /^(Latitude\.sh|Maxihost)/i },
  { name: 'netcup', organisation: /^netcup/i },
  { name: 'Strato', organisation: /^Strato AG/i },
  { name: 'WorldStream', organisation: /^WorldStream/i },
  { name: 'Psychz', organisation: /^Psychz/i },
  { name: 'Fly.io', organisation: /^Fly\.io/i },
  { name: 'UpCloud', organisation: /^UpCloud/i },
  { name: 'UCloud', organisation: /^UCloud/i },
  { name: 'Timeweb', organisation: /^(JSC "?)?Timeweb/i },
  { name: 'Selectel', organisation: /^Selectel/i },
  { name: 'Kamatera', organisation: /^Kamatera/i },
  { name: 'FranTech (BuyVM)', organisation: /^FranTech/i },
  { name: 'ColoCrossing', organisation: /^ColoCrossing/i },
  { name: 'QuadraNet', organisation: /^QuadraNet/i },
  { name: 'Hostwinds', organisation: /^Hostwinds/i },
  { name: 'Serverius', organisation: /^Serverius/i },
];

/** Other hosts whose names carry none of `hostingWords`, reported under their organisation names. */
const otherHosts =
  /^(Namecheap|HIVELOCITY|Unified Layer|PHOENIX ?NAP|Clouvider|Voxility|GleSYS|Internap|AEZA|UK-2|New Dream Network|Rackspace|Nexeon|Performive|B2 Net Solutions|MULTACOM|IT7 Networks|Tier\.Net|GTHost|Path Network|velia\.net|meerfarbig|Amarutu|Linode)\b/i;

/** Words in an organisation's name that say it hosts servers ("host" and "server" starting or ending a word: HostPapa, Interserver). */
const hostingWords = /\b(host\w*|\w*servers?|datacent(er|re)s?|data[- ]cent(er|re)s?|idc|cloud\w*|vps|vds|colo|colocation|dedicated|bare ?metal)\b/i;

/** ASNs that the rules above would take for hosting but that carry people (see the file comment). */
const notHosting = new Set<number>([
  16591, // Google Fiber: a residential ISP
  35540, // OVH SAS: OVH Telecom, French broadband
  41012, // The Cloud Networks: public Wi-Fi hotspots
  8881, // 1&1 Versatel: German broadband
]);

/** Hosting ASNs whose organisation name is a CDN's (Linode is named after Akamai, which bought it). */
const hostingAsns = new Map<number, string>([[63949, 'Akamai Linode']]);

/** CDN and privacy-relay egress networks: real listeners arrive through them. */
const relayOrganisations = /^(Akamai|Cloudflare|Fastly|Apple)\b/i;

/**
 * The hosting provider an ASN belongs to (its provider name, else the organisation name), or
 * undefined for networks that are not known to host servers.
 */
export function tryHostingProvider(asn: number, organisation: string): string | undefined {
  const known = hostingAsns.get(asn);
  if (known !== undefined) return known;
  if (notHosting.has(asn) || relayOrganisations.test(organisation)) return undefined;
  for (const provider of providers) if (provider.organisation.test(organisation)) return provider.name;
  return otherHosts.test(organisation) || hostingWords.test(organisation) ? organisation : undefined;
}

/** Provider names of `providers`, for the documentation test. */
export const hostingProviderNames: readonly string[] = providers.map((p) => p.name);
