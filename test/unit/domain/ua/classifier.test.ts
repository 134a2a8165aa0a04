import { describe, expect, it } from 'vitest';
import { UaClassifier, isAppleWatch, isSelfDeclaredBot, type UaClassification } from '../../../../shared/domain/ua/classifier.ts';
import { loadDefaultClassifier } from '../../../../shared/adapters/data/load-pattern-lists.ts';

const classifier = loadDefaultClassifier();

describe('UaClassifier with the built-in list', () => {
  const cases: Record<string, Pick<UaClassification, 'type' | 'name' | 'bot'>> = {
    // Apps (the must-never-be-bots list below repeats the most important ones)
    'Overcast/3.0 (+http://overcast.fm/; iOS podcast app)': { type: 'app', name: 'Overcast', bot: false },
    'AppleCoreMedia/1.0.0.20G75 (iPhone; U; CPU OS 16_6 like Mac OS X; en_us)': { type: 'app', name: 'AppleCoreMedia', bot: false },
    'Podcasts/1650.20 CFNetwork/1333.0.4 Darwin/21.5.0': { type: 'app', name: 'Apple Podcasts', bot: false },
    'Podcasts/4023.600.3 CFNetwork/1494.0.7 Darwin/23.4.0': { type: 'app', name: 'Apple Podcasts', bot: false },
    'Podcaster/1710.17 CFNetwork/1399 Darwin/22.1.0': { type: 'app', name: 'Apple Podcasts', bot: false },
    'iTunes/12.12.9 (Macintosh; OS X 13.4.1) AppleWebKit/615.2.9.10.4': { type: 'app', name: 'iTunes', bot: false },
    'Spotify/8.8.56 iOS/16.6 (iPhone15,2)': { type: 'app', name: 'Spotify', bot: false },
    'PocketCasts/1.0 (Pocket Casts - Android)': { type: 'app', name: 'Pocket Casts', bot: false },
    'PodcastAddict/v5 (+https://podcastaddict.com/; Android podcast app)': { type: 'app', name: 'Podcast Addict', bot: false },
    'CastBox/10.2.1-230228101 (Linux;Android 13) ExoPlayerLib/2.10.4': { type: 'app', name: 'Castbox', bot: false },
    'Castro 2023.7/1262': { type: 'app', name: 'Castro', bot: false },
    'AmazonMusic/23.10.0 iPhone14,2 CFNetwork/1410.0.3 Darwin/22.6.0': { type: 'app', name: 'Amazon Music', bot: false },
    'AlexaMediaPlayer/2.1.4623.0 (Linux;Android 5.1.1) ExoPlayerLib/1.5.9': { type: 'app', name: 'Amazon Alexa', bot: false },
    'iHeartRadio/10.23.0 (Android 13; SM-G991U Build/TP1A.220624.014)': { type: 'app', name: 'iHeartRadio', bot: false },
    'de.danoeh.antennapod/3.2.0 (Linux;Android 14) ExoPlayerLib/2.19.1': { type: 'app', name: 'AntennaPod', bot: false },
    'gPodder/3.11.1 (+http://gpodder.org/) Linux': { type: 'app', name: 'gPodder', bot: false },
    'GooglePodcasts/2.0.14 iPhone/16.5 hw/iPhone14_5': { type: 'app', name: 'Google Podcasts', bot: false },
    'VLC/3.0.18 LibVLC/3.0.18': { type: 'app', name: 'VLC', bot: false },
    'Tweetbot/53300 CFNetwork/1335.0.3 Darwin/21.6.0': { type: 'app', name: 'Tweetbot', bot: false },
    // Browsers
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1': {
      type: 'browser',
      name: 'Safari',
      bot: false,
    },
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36': {
      type: 'browser',
      name: 'Chrome',
      bot: false,
    },
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91': {
      type: 'browser',
      name: 'Edge',
      bot: false,
    },
    'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0': { type: 'browser', name: 'Firefox', bot: false },
    // Libraries: scripted ones are bots, the ones apps play through are not
    'curl/8.4.0': { type: 'library', name: 'curl', bot: true },
    'python-requests/2.31.0': { type: 'library', name: 'python-requests', bot: true },
    'Go-http-client/2.0': { type: 'library', name: 'Go-http-client', bot: true },
    'Wget/1.21.4': { type: 'library', name: 'Wget', bot: true },
    'okhttp/4.12.0': { type: 'library', name: 'okhttp', bot: false },
    'Lavf/60.3.100': { type: 'library', name: 'Lavf (FFmpeg)', bot: false },
    // Bots
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)': { type: 'bot', name: 'Googlebot', bot: true },
    'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)': { type: 'bot', name: 'Bingbot', bot: true },
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)': { type: 'bot', name: 'Facebook preview', bot: true },
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)': { type: 'bot', name: 'GPTBot', bot: true },
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36': {
      type: 'bot',
      name: 'Headless browser',
      bot: true,
    },
    'atc/1.0 watchOS/7.1 model/Watch5,4 hwp/t8006 build/18R590 (6; dt:202)': { type: 'bot', name: 'Apple Watch (atc)', bot: true },
    'my-podcast-downloader/1.0': { type: 'bot', name: 'Downloaders', bot: true },
    // Unknown agents: bots only when they say so, or say nothing
    'ExampleSearchBot/3.0 (+https://example.com)': { type: 'unknown', name: null, bot: true },
    'acme-bot/2.1': { type: 'unknown', name: null, bot: true },
    '': { type: 'unknown', name: null, bot: true },
    '   ': { type: 'unknown', name: null, bot: true },
    'SomeNewPodcastPlayer/1.0 (Android 14)': { type: 'unknown', name: null, bot: false },
  };
  for (const [ua, expected] of Object.entries(cases)) {
    it(`classifies ${JSON.stringify(ua)}`, () => expect(classifier.classify(ua)).toMatchObject(expected));
  }

  // Real podcast app agents; several carry a URL or a word that a generic bot filter trips on.
  const neverBots = [
    'Overcast/3.0 (+http://overcast.fm/; iOS podcast app)',
    'Overcast (+http://overcast.fm/; Apple Watch podcast app)',
    'AppleCoreMedia/1.0.0.20G75 (iPhone; U; CPU OS 16_6 like Mac OS X; en_us)',
    'AppleCoreMedia/1.0.0.21A329 (HomePod; U; CPU OS 17_0 like Mac OS X; en_us)',
    'Podcasts/1650.20 CFNetwork/1333.0.4 Darwin/21.5.0',
    'Spotify/8.8.56 iOS/16.6 (iPhone15,2)',
    'Spotify/8.8.60.506 Android/33 (SM-S911B)',
    'PocketCasts/1.0 (Pocket Casts - Android)',
    'Pocket Casts',
    'PodcastAddict/v5 (+https://podcastaddict.com/; Android podcast app)',
    'Podbean/Android App 10.1.4 (http://podbean.com),0123456789abcdef',
    'Fountain/1.0.3 android https://www.fountain.fm',
    'gPodder/3.11.1 (+http://gpodder.org/) Linux',
    'AntennaPod/3.2.0',
    'Player FM',
    'Castro 2023.7/1262',
    'CastBox/10.2.1-230228101 (Linux;Android 13) ExoPlayerLib/2.10.4',
    'iHeartRadio/10.23.0 (iPhone; iOS 17.1; iPhone15,2)',
    'AmazonMusic/23.10.0 iPhone14,2 CFNetwork/1410.0.3 Darwin/22.6.0',
    'Echo/1.0(APNG)',
    'Podverse/iOS Mobile App',
    'Metacast/1.2.0 (android)',
    'Mozilla/5.0 (compatible; Metacast/1.0 +metacast.app)',
    'Goodpods.iOS / 3.1.0',
    'Snipd/120 CFNetwork/1474 Darwin/23.0.0',
    'Tweetbot/53300 CFNetwork/1335.0.3 Darwin/21.6.0',
    'Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A.230805.001)',
    'KaiOS Downloader',
  ];
  for (const ua of neverBots) {
    it(`never calls ${JSON.stringify(ua)} a bot`, () => expect(classifier.classify(ua).bot).toBe(false));
  }

  const caughtBots = [
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)',
    'CCBot/2.0 (https://commoncrawl.org/faq/)',
    'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
    'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)',
    'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
    'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
    'Mozilla/5.0 (compatible; Applebot/0.1; +http://www.apple.com/go/applebot)',
    'Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)',
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'Twitterbot/1.0',
    'UptimeRobot/2.0 (http://www.uptimerobot.com/)',
    'Podcastindex.org/v0.9 (feed parser)',
    'Spotify/1.0',
    'Buzzsprout Importer',
    'Podcast Feed Transcriber/0.3',
    'Mozilla/5.0 (compatible; PodcastMirror/1.0; +https://example.org/about)',
    'Mozilla/5.0',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 (compatible; examplebot/1.0)',
    'Mastodon/4.2.1 (http.rb/5.1.1; +https://mastodon.example/)',
  ];
  for (const ua of caughtBots) {
    it(`catches the bot ${JSON.stringify(ua)}`, () => expect(classifier.classify(ua).bot).toBe(true));
  }

  const devices: Record<string, Pick<UaClassification, 'device' | 'device_category'>> = {
    'atc/1.0 watchOS/7.1 model/Watch5,4 hwp/t8006 build/18R590 (6; dt:202)': { device: 'Apple Watch', device_category: 'watch' },
    'AppleCoreMedia/1.0.0.21A329 (HomePod; U; CPU OS 17_0 like Mac OS X; en_us)': { device: 'Apple HomePod', device_category: 'smart_speaker' },
    'AppleCoreMedia/1.0.0.20K71 (Apple TV; U; CPU OS 16_1 like Mac OS X; en_us)': { device: 'Apple TV', device_category: 'smart_tv' },
    'AppleCoreMedia/1.0.0.20G75 (iPhone; U; CPU OS 16_6 like Mac OS X; en_us)': { device: 'iPhone', device_category: 'mobile' },
    'Podcasts/1650.20 CFNetwork/1333.0.4 Darwin/21.5.0': { device: 'iPhone', device_category: 'mobile' },
    'Podcasts/1650.20 CFNetwork/1333.0.4 Darwin/21.5.0 (x86_64)': { device: 'Mac', device_category: 'computer' },
    'Echo/1.0(APNG)': { device: 'Amazon Echo', device_category: 'smart_speaker' },
    'Spotify/8.8.60.506 Android/33 (SM-S911B)': { device: 'Android phone', device_category: 'mobile' },
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0': { device: 'Windows computer', device_category: 'computer' },
    'SomeNewPodcastPlayer/1.0': { device: null, device_category: null },
  };
  for (const [ua, expected] of Object.entries(devices)) {
    it(`finds the device of ${JSON.stringify(ua)}`, () => expect(classifier.classify(ua)).toMatchObject(expected));
  }
});

describe('UaClassifier cache', () => {
  it('returns the identical (frozen) result for a repeated agent', () => {
    const fresh = loadDefaultClassifier();
    const first = fresh.classify('Overcast/3.0 (+http://overcast.fm/; iOS podcast app)');
    expect(fresh.classify('Overcast/3.0 (+http://overcast.fm/; iOS podcast app)')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('gives the same answer after eviction as before', () => {
    const none = { entries: [] };
    const lists = { bots: none, apps: { entries: [{ name: 'A', pattern: '^A/' }] }, libraries: none, browsers: none, devices: none };
    const tiny = new UaClassifier(lists, { cacheSize: 2 });
    const before = tiny.classify('A/1');
    for (const ua of ['B/1', 'C/1', 'D/1']) tiny.classify(ua);
    expect(tiny.classify('A/1')).toEqual(before);
  });
});

describe('isAppleWatch', () => {
  const cases: Record<string, boolean> = {
    'atc/1.0 watchOS/6.2 model/Watch3,3 hwp/t8004 build/17T529 (6; dt:155)': true,
    'atc/1.0': true,
    'AppleCoreMedia/1.0.0.20G75 (iPhone; U; CPU OS 16_6 like Mac OS X; en_us)': false,
    'Watch/1140 CFNetwork/3860.200.71 Darwin/25.1.0': false,
    ' atc/1.0': false,
  };
  for (const [ua, expected] of Object.entries(cases)) {
    it(`answers ${expected} for ${JSON.stringify(ua)}`, () => expect(isAppleWatch(ua)).toBe(expected));
  }
});

describe('isSelfDeclaredBot', () => {
  const cases: Record<string, boolean> = {
    '': true,
    ' \t': true,
    'acmebot/1.0': true,
    'Some Crawler': true,
    'feed-spider': true,
    'Robotics Weekly/2.0': false,
    'Abbott Health/1.0': false,
    'PodcastPlayer/1.0': false,
  };
  for (const [ua, expected] of Object.entries(cases)) {
    it(`answers ${expected} for ${JSON.stringify(ua)}`, () => expect(isSelfDeclaredBot(ua)).toBe(expected));
  }
});
