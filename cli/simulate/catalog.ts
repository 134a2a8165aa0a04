/**
 * What the simulated audience uses: podcast apps in roughly the shares hosting platforms report
 * (Apple Podcasts and Spotify lead), a few bots, and the Apple Watch. Weights are percentages.
 */
export const appAgents: ReadonlyArray<readonly [string, number]> = [
  ['AppleCoreMedia/1.0.0.21G93 (iPhone; U; CPU OS 17_6_1 like Mac OS X; en_us)', 22],
  ['Podcasts/1630.1 CFNetwork/1496.0.7 Darwin/23.5.0', 14],
  ['Spotify/8.9.74 iOS/17.6.1 (iPhone15,2)', 12],
  ['Spotify/8.9.76.538 Android/34 (SM-S918B)', 9],
  ['Overcast/3.0 (+http://overcast.fm/; iOS podcast app)', 5],
  ['PocketCasts/1.0 (Pocket Casts - Android v7.70; +https://pocketcasts.com)', 4],
  ['Podcast Addict/v5 - Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP2A.240805.005)', 4],
  ['Castro/2024.10 (iPhone; iOS 17.6)', 2],
  ['Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Mobile Safari/537.36', 5],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15', 4],
  ['AmazonMusic/24.11.2 Android/14', 3],
  ['iHeartRadio/10.40.0 (iPhone; iOS 17.6.1)', 2],
  ['Castbox/11.5.2 (fm.castbox.audio.radio.podcast.app; build:252; Android 14)', 2],
  ['Alexa Media Player/2.0', 2],
];

export const botAgents: readonly string[] = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'curl/8.5.0',
  'python-requests/2.32.3',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
];

export const appleWatchAgent = 'atc/1.0 watchOS/10.6.1 model/Watch6,2 hwp/t8301 build/21U580 (6; dt:280) AMS/1';

export interface SimulatedCampaign {
  id: string;
  advertiser: string;
  creative: string;
}

export const campaigns: readonly SimulatedCampaign[] = [
  { id: 'camp-mattress', advertiser: 'demo-advertiser', creative: 'cr-mattress-30s' },
  { id: 'camp-meals', advertiser: 'demo-advertiser', creative: 'cr-meals-60s' },
  { id: 'camp-vpn', advertiser: 'other-advertiser', creative: 'cr-vpn-30s' },
];

export interface SimulatedEpisode {
  show: string;
  id: string;
  durationS: number;
  fileSize: number;
  id3Size: number;
}

/** Three shows of ten episodes, 20 to 70 minutes at 128 kbit/s. */
export function buildEpisodes(random: { int(min: number, max: number): number }): SimulatedEpisode[] {
  const episodes: SimulatedEpisode[] = [];
  for (const show of ['show-news-daily', 'show-true-crime', 'show-tech-talk']) {
    for (let e = 1; e <= 10; e++) {
      const durationS = random.int(20, 70) * 60;
      const id3Size = random.int(2, 60) * 1024;
      episodes.push({ show, id: `${show}-ep${e}`, durationS, id3Size, fileSize: id3Size + durationS * 128 * 125 });
    }
  }
  return episodes;
}
