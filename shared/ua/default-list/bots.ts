import type { PatternFile } from '../pattern-file.ts';
import { entry } from './entry.ts';

// Matched before the apps, so every pattern here must stay clear of real app agents: a generic
// rule belongs at the end and is written around what scripts say about themselves
// (downloader, importer, transcriber ...), never around a bare "bot" (Tweetbot is an app).
// Bare /bot|crawler|spider/ is applied by the classifier only to agents nothing here matched.

/** The project's own bot list: crawlers, previewers, monitors and podcast-industry tools. */
export const bots: PatternFile = {
  entries: [
    // Apple Watch syncs episodes the phone already downloaded (DESIGN.md §7 excludes it).
    entry('Apple Watch (atc)', /^atc\/|^\(null\)\/\(null\) watchOS\//),

    // Search engines and AI crawlers
    entry('Googlebot', /Googlebot/),
    entry('Google crawlers', /AdsBot-Google|Mediapartners-Google|APIs-Google|FeedFetcher-Google|Storebot-Google|GoogleOther|GoogleAgent|google-xrawler|\bGoogle-[A-Z]/),
    entry('Bingbot', /bingbot|BingPreview|msnbot|adidxbot/),
    entry('Applebot', /Applebot/),
    entry('YandexBot', /Yandex[A-Za-z]*Bot|YandexMetrika/),
    entry('Baiduspider', /Baiduspider/),
    entry('DuckDuckBot', /DuckDuckBot|DuckAssistBot/),
    entry('Sogou', /Sogou (?:web|inst) spider/),
    entry('SeznamBot', /SeznamBot/),
    entry('PetalBot', /PetalBot|AspiegelBot/),
    entry('Amazonbot', /Amazonbot|^amazon-Quick-on-behalf-of-/),
    entry('Bytespider', /Bytespider/),
    entry('GPTBot', /GPTBot|ChatGPT-User|OAI-SearchBot/),
    entry('ClaudeBot', /ClaudeBot|Claude-User|Claude-SearchBot|anthropic-ai/),
    entry('PerplexityBot', /Perplexity(?:Bot|-User)/),
    entry('CCBot', /CCBot/),
    entry('Diffbot', /Diffbot/),
    entry('Internet Archive', /archive\.org_bot|ia_archiver|Heritrix/),

    // SEO and survey crawlers
    entry('AhrefsBot', /AhrefsBot|AhrefsSiteAudit/),
    entry('SemrushBot', /SemrushBot|SiteAuditBot/),
    entry('MJ12bot', /MJ12bot/),
    entry('DotBot', /DotBot/),
    entry('BLEXBot', /BLEXBot/),
    entry('DataForSeoBot', /DataForSeoBot/),
    entry('Dataprovider', /Dataprovider\.com/),
    entry('Netcraft', /Netcraft/),
    entry('Owler', /Owler/),
    entry('Twingly', /Twingly/),

    // Link previews (a message or post that contains an episode link)
    entry('Facebook preview', /facebookexternal|facebookcatalog|meta-external(?:agent|fetcher)/),
    entry('Twitterbot', /Twitterbot/),
    entry('LinkedInBot', /LinkedInBot/),
    entry('Slackbot', /Slackbot|Slack-ImgProxy/),
    entry('Discordbot', /Discordbot/),
    entry('TelegramBot', /TelegramBot/),
    entry('Pinterestbot', /Pinterestbot/),
    entry('Microsoft preview', /ms-office|SkypeUriPreview|MicrosoftPreview/),
    entry('Apple share sheet preview', /\.SharingExtension\/|^SharingUIService\/|^ShareSheetUI\//),
    entry('Digg', /^Digg |\(Digg\/|DiggBot/),
    entry('vercel', /^vercel-/),

    // Headless browsers, site copiers, automation
    entry('Headless browser', /HeadlessChrome|PhantomJS|Puppeteer|Playwright|Selenium|Lighthouse|SlimerJS/),
    entry('HTTrack', /HTTrack/),
    entry('Zapier', /Zapier/),
    entry('n8n', /^n8n(?:\/|$)/),
    entry('FlexGet', /FlexGet/),
    entry('Transmission', /^Transmission\/\d/),
    entry('CloudConvert', /CloudConvert/),

    // Uptime monitors and validators
    entry('UptimeRobot', /UptimeRobot/),
    entry('Pingdom', /Pingdom/),
    entry('StatusCake', /StatusCake/),
    entry('Site24x7', /Site24x7/),
    entry('Uptime monitors', /Better ?Uptime|Uptime-Kuma|Datadog|NewRelicPinger|Checkly|Freshping|HetrixTools|Cloudflare-|check_http|Nagios|Zabbix/),
    entry('Feed validators', /FeedValidator|W3C_Validator|W3C-checklink|Cast ?Feed ?Validator|^lychee\//),

    // Feed aggregators fetch feeds (and sometimes enclosures) for many readers at once.
    entry('Feed aggregators', /feedly\.com\/fetcher|Feedbin|Inoreader|NewsBlur|Superfeedr|Tiny Tiny RSS|FreshRSS|Miniflux|theoldreader|Feedspot|\d+ subscribers?[;)]/),

    // Podcast directories, indexes and analytics
    entry('Podcast Index', /[Pp]odcast[Ii]ndex|Aggrivat/),
    entry('Apple Podcasts crawler', /^iTMS(?:\/|$)/),
    entry('Spotify ingestion', /^Spotify\/1\.0$/),
    entry('Overcast sync', /^Overcast\/1\.0 Podcast Sync/),
    entry('Goodpods crawler', /^Goodpods\/\d+\.\d+$/),
    entry('Downcast feed consumer', /^downcast feed consumer/),
    entry('Listen Notes', /ListenNotes|Listen Notes/),
    entry('Podtrac', /Podtrac/),
    entry('Chartable', /Chartable/),
    entry('Podsights', /Podsights/),
    entry('Podscribe', /[Pp]odscribe/),
    entry('Magellan AI', /MagellanAI/),
    entry('Rephonic', /Rephonic/),
    entry('Podcorn', /^Podcorn\//),
    entry('Podhound', /Podhound/),
    entry('Critical Mention', /CriticalMention/),
    entry('agma', /^agma\//),
    entry('Virtual listeners', /VirtualListener/),

    // Hosting platforms fetching or migrating feeds and audio
    entry('Hosting platforms', /Buzzsprout|Blubrry|PowerPress|Castopod|Transistor\.fm|Simplecast|RedCircle|OmnyStudio|SupportingCast|Zencastr|Libsyn\d*-Download|Hosting\/\d/),
    entry('Podget', /^Podget/),
    entry('castget', /^castget/),

    // Transcription, speech and AI services
    entry('Transcription and AI services', /[Tt]ranscri(?:be|ber|bing|ption)|Whisper|Speechmatics|speechischeap|pyannoteAI|Cartesia|veritone|AllEars|NotebookLM|STT-|-stt\/|MCP\/|\bLLM\b/),

    // Scripts that say what they are. Kept last: they are the broadest.
    entry('Podcast downloaders', /[Pp]od[A-Za-z]*Downloader|(?:^|[-_ (])[Dd]ownloader(?:\/|\)|$)|[Dd]ownload[-_ ]?[Ww]orker|-Download$/),
    entry('Importers', /[Ii]mport(?:er|ing)?(?![a-z])/),
    entry(
      'Scripted podcast tools',
      /[Pp]ipeline|[Ww]orker(?![a-z])|[Bb]ackfill|[Rr]esearch|[Aa]naly[sz]er|[Ss]canner|[Cc]lassifier|[Ii]ndexer|[Rr]enamer|[Gg]rabber|[Pp]uller|[Cc]atalog(?![a-z])|[Pp]reflight|[Aa]udit\b|[Tt]ester\/|[Tt]ranslator|[Pp]rocessor\)|Podcast Sync|[Ss]earcher\b|[Ss]earch [Ee]ngine|[Ff]eed [Cc]onsumer/,
    ),
    entry('Crawlers and scrapers', /[Cc]rawler|[Ss]pider|[Ss]craper|Scrper|[Ff]etcher(?![a-z])|[Mm]onitor(?:ing)?(?![a-z])|[Vv]alidator/),
    // A bare or cut-off "Mozilla/5.0", or one self-named non-browser token: no real client sends these.
    entry('Truncated browser agent', /^\W*Mozilla(?:\/\d+(?:\.\d+)?)?\W*$/),
    entry('Unnamed compatible agent', /^Mozilla\/5\.0 \(compatible; [^;()+]+\)$/),
  ],
};
