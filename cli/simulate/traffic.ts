import { appAgents, appleWatchAgent, botAgents, buildEpisodes, campaigns, type SimulatedEpisode } from './catalog.ts';
import { computeV4Address, computeV6Address, residentialV4 } from './addresses.ts';
import { simulateUnusualTraffic } from './unusual-traffic.ts';
import type { StudyAssigner } from './holdout.ts';
import { SeededRandom } from './random.ts';

/** A beacon record as `POST /beacon/events` takes it (shared/contracts/schemas/beacon-record.ts). */
export interface SimulatedBeacon {
  event_id: string;
  type: 'download';
  ts: string;
  show_id: string;
  episode_id: string;
  ip: string;
  user_agent: string;
  method: string;
  status: number;
  range?: string;
  bytes_sent: number;
  file_size: number;
  duration_s: number;
  id3_size: number;
  ads: Array<{ ad_id: string; campaign_id: string; creative_id: string; advertiser_id: string; byte_start: number; byte_end: number; position: 'pre' | 'mid' | 'post'; ghost?: boolean; study_id?: string }>;
}

/** A vendor's verdict on one ad impression (the canonical callback event, README.md). */
export interface SimulatedVerification {
  impression_id: string;
  ad_id: string;
  campaign_id: string;
  measured_at: string;
  ivt: 'valid' | 'givt' | 'sivt';
  reasons?: string[];
}

/** An advertiser's conversion, server to server. */
export interface SimulatedConversion {
  advertiser: string;
  event: 'purchase';
  ts: string;
  ip: string;
  user_agent: string;
  order_id: string;
  value: number;
  currency: 'USD';
}

export interface SimulationOptions {
  listeners: number;
  days: number;
  seed: number;
  start: Date;
  /** The study placement of a campaign's ad for a household (its study and whether a ghost), if any. */
  assignStudy: StudyAssigner;
}

export type SimulatedDay = { beacons: SimulatedBeacon[]; verifications: SimulatedVerification[]; conversions: SimulatedConversion[] };

interface Household {
  ip: string;
  agents: string[];
  bot: boolean;
  /** Campaigns the household heard (not ghosts). */
  exposedTo: Set<string>;
  converted: boolean;
}

const adBytes = 480_000; // 30 s at 128 kbit/s
const baseConversionRate = 0.05; // site visits within the simulated period
// Each of the advertiser's campaigns a household heard makes it convert 50 % more: the effect each
// campaign's lift study should find, whatever the household's arm in the other study.
const trueLift = 0.5;

/**
 * Deterministic podcast traffic, a day at a time: each household's devices download episodes
 * (whole files, players that probe `bytes=0-1` then fetch ranges, listeners who stop early, HEAD
 * requests), with pre/mid/post-roll ads inserted per download, ghost ads for the control arm of a
 * holdout study, bots and Apple Watches; servers in data centres and households with anomalous
 * volumes (`unusual-traffic.ts`); the vendor's verdicts on ad impressions (mostly valid, some
 * GIVT/SIVT, a few missed); and conversions with a true effect of exposure.
 */
export function* simulateTraffic(options: SimulationOptions): Generator<SimulatedDay> {
  const random = new SeededRandom(options.seed);
  const episodes = buildEpisodes(random);
  const households: Household[] = Array.from({ length: options.listeners }, (_, i) => {
    const bot = random.chance(0.04);
    const ip = random.chance(0.2)
      ? computeV6Address(i, random.int(1, 9999))
      : computeV4Address(residentialV4, random.int(11, 223), random.int(0, 255) * 65_536 + random.int(0, 255) * 256 + random.int(1, 254));
    const agents = bot ? [random.pick(botAgents)] : [random.weighted(appAgents), ...(random.chance(0.15) ? [random.weighted(appAgents)] : [])];
    if (!bot && random.chance(0.02)) agents.push(appleWatchAgent);
    return { ip, agents, bot, exposedTo: new Set<string>(), converted: false };
  });
  let eventNumber = 0;
  let orderNumber = 0;
  // Its own stream, so the ordinary households' traffic stays what it was for a seed.
  const unusual = simulateUnusualTraffic(new SeededRandom(options.seed ^ 0x5eed), options, episodes);
  for (let day = 0; day < options.days; day++) {
    const dayStart = options.start.getTime() + day * 86_400_000;
    const out: SimulatedDay = { beacons: [], verifications: [], conversions: [] };
    out.beacons.push(...unusual(day, dayStart));
    for (const household of households) {
      const downloads = household.bot ? random.int(2, 6) : random.chance(0.55) ? random.int(1, 2) : 0;
      for (let d = 0; d < downloads; d++) {
        const agent = random.pick(household.agents);
        const episode = random.pick(episodes);
        const ts = dayStart + random.int(0, 86_000) * 1000;
        const ads = insertAds(random, episode, household, options);
        const requests = planRequests(random, episode, household.bot);
        let servedTo = -1;
        requests.forEach((request, r) => {
          const eventId = `sim-${options.seed}-${eventNumber++}`;
          out.beacons.push({
            event_id: eventId,
            type: 'download',
            ts: new Date(ts + r * 2000).toISOString(),
            show_id: episode.show,
            episode_id: episode.id,
            ip: household.ip,
            user_agent: agent,
            file_size: episode.fileSize,
            duration_s: episode.durationS,
            id3_size: episode.id3Size,
            ads,
            ...request,
          });
          if (request.method !== 'GET') return;
          const from = request.range ? Number(/bytes=(\d+)/.exec(request.range)?.[1] ?? 0) : 0;
          const before = servedTo;
          if (from <= servedTo + 1) servedTo = Math.max(servedTo, from + request.bytes_sent - 1);
          // The vendor measures the ads whose bytes this request completed (and misses a few).
          for (const ad of ads) {
            if (ad.ghost || ad.byte_end > servedTo || ad.byte_end <= before || agent === appleWatchAgent) continue;
            if (!household.bot) household.exposedTo.add(ad.campaign_id);
            if (random.chance(0.03)) continue;
            const ivt = household.bot ? 'givt' : random.chance(0.03) ? 'sivt' : 'valid';
            const verdict: SimulatedVerification = { impression_id: eventId, ad_id: ad.ad_id, campaign_id: ad.campaign_id, measured_at: new Date(ts + r * 2000 + 5000).toISOString(), ivt };
            if (ivt !== 'valid') verdict.reasons = [ivt === 'givt' ? 'known crawler' : 'device farm pattern'];
            out.verifications.push(verdict);
          }
        });
      }
      if (!household.bot && !household.converted) {
        const heard = campaigns.filter((c) => c.advertiser === 'demo-advertiser' && household.exposedTo.has(c.id)).length;
        const dailyRate = (baseConversionRate * (1 + trueLift) ** heard) / options.days;
        if (random.chance(dailyRate)) {
          household.converted = true;
          out.conversions.push({
            advertiser: 'demo-advertiser',
            event: 'purchase',
            ts: new Date(dayStart + 86_300_000).toISOString(),
            ip: household.ip,
            user_agent: random.chance(0.3) ? random.weighted(appAgents) : (household.agents[0] as string),
            order_id: `order-${options.seed}-${orderNumber++}`,
            value: random.int(20, 150),
            currency: 'USD',
          });
        }
      }
    }
    yield out;
  }
}

function insertAds(random: SeededRandom, episode: SimulatedEpisode, household: Household, options: SimulationOptions): SimulatedBeacon['ads'] {
  const slots: Array<['pre' | 'mid' | 'post', number]> = [
    ['pre', episode.id3Size],
    ['mid', episode.id3Size + Math.floor((episode.fileSize - episode.id3Size) / 2)],
    ['post', episode.fileSize - adBytes],
  ];
  return slots
    .filter(() => random.chance(0.8))
    .map(([position, start], i) => {
      const campaign = random.pick(campaigns);
      const ad = { ad_id: `${campaign.id}-${position}-${i}`, campaign_id: campaign.id, creative_id: campaign.creative, advertiser_id: campaign.advertiser, byte_start: start, byte_end: start + adBytes - 1, position };
      const placement = options.assignStudy(household.ip, campaign);
      if (!placement) return ad;
      return placement.ghost ? { ...ad, study_id: placement.study_id, ghost: true } : { ...ad, study_id: placement.study_id };
    });
}

type PlannedRequest = Pick<SimulatedBeacon, 'method' | 'status' | 'range' | 'bytes_sent'>;

function planRequests(random: SeededRandom, episode: SimulatedEpisode, bot: boolean): PlannedRequest[] {
  const size = episode.fileSize;
  if (bot || random.chance(0.5)) return [{ method: 'GET', status: 200, bytes_sent: size }];
  if (random.chance(0.05)) return [{ method: 'HEAD', status: 200, bytes_sent: 0 }];
  const requests: PlannedRequest[] = [{ method: 'GET', status: 206, range: 'bytes=0-1', bytes_sent: 2 }];
  // A share of listeners stop early, some before a minute of audio.
  const stopAt = random.chance(0.7) ? size : random.chance(0.5) ? random.int(100_000, 900_000) : random.int(1_000_000, size);
  const chunk = 4_000_000;
  for (let from = 0; from < stopAt; from += chunk) {
    const to = Math.min(stopAt, from + chunk) - 1;
    requests.push({ method: 'GET', status: 206, range: `bytes=${from}-${to}`, bytes_sent: to - from + 1 });
  }
  return requests;
}
