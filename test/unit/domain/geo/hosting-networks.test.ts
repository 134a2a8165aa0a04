import { describe, expect, it } from 'vitest';
import { tryHostingProvider } from '../../../../shared/domain/geo/hosting-networks.ts';

// Organisation names as the shipped ASN database spells them.
const hosting: Record<string, [asn: number, organisation: string, provider: string]> = {
  'AWS': [16509, 'Amazon.com, Inc.', 'Amazon Web Services'],
  'AWS Ireland': [8987, 'Amazon Data Services Ireland Ltd', 'Amazon Web Services'],
  'Google Cloud': [396982, 'Google LLC', 'Google Cloud'],
  'Azure': [8075, 'Microsoft Corporation', 'Microsoft Azure'],
  'DigitalOcean': [14061, 'DigitalOcean, LLC', 'DigitalOcean'],
  'Hetzner': [24940, 'Hetzner Online GmbH', 'Hetzner'],
  'OVH': [16276, 'OVH SAS', 'OVHcloud'],
  'Linode, named after Akamai': [63949, 'Akamai Technologies, Inc.', 'Akamai Linode'],
  'Vultr': [20473, 'The Constant Company, LLC', 'Vultr'],
  'Oracle': [31898, 'Oracle Corporation', 'Oracle Cloud'],
  'Alibaba': [37963, 'Hangzhou Alibaba Advertising Co.,Ltd.', 'Alibaba Cloud'],
  'Scaleway': [12876, 'Scaleway SAS', 'Scaleway'],
  'a host known only by its words': [55293, 'A2 Hosting, Inc.', 'A2 Hosting, Inc.'],
  'a data centre known only by its words': [13878, 'Scala Data Centers', 'Scala Data Centers'],
  'a VPS seller': [99999, 'Cheap VPS Ltd', 'Cheap VPS Ltd'],
  'a host whose name starts with "host"': [36352, 'HostPapa', 'HostPapa'],
  'a host whose name ends in "server"': [19318, 'Interserver, Inc', 'Interserver, Inc'],
  'a host known by name only': [22612, 'Namecheap, Inc.', 'Namecheap, Inc.'],
  'Timeweb, as the database quotes it': [9123, 'JSC "TIMEWEB"', 'Timeweb'],
};
const people: Record<string, [asn: number, organisation: string]> = {
  'Comcast': [7922, 'Comcast Cable Communications, LLC'],
  'Deutsche Telekom': [3320, 'Deutsche Telekom AG'],
  'Google Fiber (an ISP)': [16591, 'Google Fiber Inc.'],
  "OVH's broadband AS": [35540, 'OVH SAS'],
  'public Wi-Fi': [41012, 'The Cloud Networks Limited'],
  'Akamai CDN edges (iCloud Private Relay)': [20940, 'Akamai International B.V.'],
  'Cloudflare (WARP, Private Relay)': [13335, 'Cloudflare, Inc.'],
  'Fastly': [54113, 'Fastly, Inc.'],
  'Apple': [714, 'Apple Inc.'],
  'a word inside another word': [64500, 'Colombia Telecomunicaciones'],
  'T-Mobile': [21928, 'T-Mobile USA, Inc.'],
  'Telstra': [1221, 'Telstra Limited'],
};

describe('tryHostingProvider', () => {
  for (const [name, [asn, organisation, provider]] of Object.entries(hosting)) it(`takes ${name} for hosting`, () => expect(tryHostingProvider(asn, organisation)).toBe(provider));
  for (const [name, [asn, organisation]] of Object.entries(people)) it(`takes ${name} for a network of people`, () => expect(tryHostingProvider(asn, organisation)).toBeUndefined());
});
