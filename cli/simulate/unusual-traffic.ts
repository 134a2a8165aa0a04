import { computeV4Address, datacenterV4, residentialV4 } from './addresses.ts';
import { appAgents, type SimulatedEpisode } from './catalog.ts';
import type { SeededRandom } from './random.ts';
import type { SimulatedBeacon, SimulationOptions } from './traffic.ts';

/** Servers in data centres: this share of the households, at least one. */
const datacenterShare = 0.02;
/** Listeners behind the one address that downloads one episode far above normal, every day. */
const crowdListeners = 30;
/** Back-catalogue episodes the one bursting address downloads within half an hour on the first day. */
const burstEpisodes = 60;

/**
 * The traffic the IAB v2.2 / MRC GIVT rules exist for, beside the ordinary households: servers in
 * cloud networks that fetch episodes with app User-Agents (verdict `datacenter`), one address
 * whose listeners download one episode far more than normal (`household_volume` past the
 * threshold) and one address that sweeps a show's archive in minutes (`address_burst`). Whole
 * downloads without ads, so the ordinary traffic's ad numbers stay as they were.
 */
export function simulateUnusualTraffic(random: SeededRandom, options: SimulationOptions, episodes: readonly SimulatedEpisode[]): (day: number, dayStart: number) => SimulatedBeacon[] {
  const servers = Array.from({ length: Math.max(1, Math.round(options.listeners * datacenterShare)) }, () => ({
    ip: computeV4Address(datacenterV4, random.int(0, 1_000_000), random.int(0, 2 ** 30)),
    agent: random.weighted(appAgents),
  }));
  const crowdIp = computeV4Address(residentialV4, random.int(0, 1_000_000), random.int(0, 2 ** 30));
  const burstIp = computeV4Address(residentialV4, random.int(0, 1_000_000), random.int(0, 2 ** 30));
  const crowdAgents = Array.from({ length: crowdListeners }, (_, n) => `${random.weighted(appAgents)} listener/${n + 1}`);
  let eventNumber = 0;
  const download = (episode: SimulatedEpisode, ip: string, agent: string, ts: number): SimulatedBeacon => ({
    event_id: `sim-${options.seed}-u${eventNumber++}`,
    type: 'download',
    ts: new Date(ts).toISOString(),
    show_id: episode.show,
    episode_id: episode.id,
    ip,
    user_agent: agent,
    method: 'GET',
    status: 200,
    bytes_sent: episode.fileSize,
    file_size: episode.fileSize,
    duration_s: episode.durationS,
    id3_size: episode.id3Size,
    ads: [],
  });
  const at = (dayStart: number) => dayStart + random.int(0, 86_000) * 1000;
  return (day, dayStart) => {
    // The crowd and the burst first: they land in the day's first request to the system, so one
    // message carries each and the volume rules decide them in time order however the system
    // schedules its messages (a threshold's verdicts follow arrival across messages).
    const beacons: SimulatedBeacon[] = [];
    const crowdEpisode = episodes[day % episodes.length] as SimulatedEpisode;
    for (const agent of crowdAgents) beacons.push(download(crowdEpisode, crowdIp, agent, at(dayStart)));
    if (day === 0) {
      const show = (episodes[0] as SimulatedEpisode).show;
      const start = dayStart + 3_600_000 * 14;
      for (let e = 1; e <= burstEpisodes; e++) {
        const episode = { ...(episodes[e % episodes.length] as SimulatedEpisode), show, id: `${show}-archive-${e}` };
        beacons.push(download(episode, burstIp, (appAgents[0] as readonly [string, number])[0], start + e * 30_000));
      }
    }
    for (const server of servers) for (let d = random.int(1, 3); d > 0; d--) beacons.push(download(random.pick(episodes), server.ip, server.agent, at(dayStart)));
    return beacons;
  };
}
