import type { PatternFile } from '../pattern-file.ts';
import { entry } from './entry.ts';

// Matched before the apps, so every pattern here must stay clear of real app agents: a generic
// rule belongs at the end and is written around what scripts say about themselves
// (downloader, importer, transcriber ...), never around a bare "bot" (Tweetbot is an app).
// Bare /bot|crawler|spider/ is applied by the classifier only to agents nothing here matched.

/** The project's own bot list: crawlers, previewers, monitors and podcast-industry tools. */
export const bots: PatternFile = {
  entries: [
    // Apple Watch syncs episodes the phone already downloaded (README.md, What counts: excluded).
    entry('Apple Watch (atc)', /^atc\/|^\(null\)\/\(null\) watchOS\//),

    // Search engines and AI crawlers
    entry('Googlebot', /Googlebot/),
    entry('Google ads crawlers', /AdsBot-Google|Mediapartners-Google|Storebot-Google/),
    entry('Google crawlers', /APIs-Google|FeedFetcher-Google|GoogleOther|GoogleAgent|google-xrawler|\bGoogle-[A-Z]/),
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
    entry('Web archives', /archive\.org_bot|ia_archiver|Heritrix|Archive-It|IAHarvester/),

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
    entry('Turnitin', /Turnitin/),
    entry('LTX71', /ltx71/),

    // Link previews (a message or post that contains an episode link)
    entry('Facebook preview', /acebookexternal|facebookplatform|facebookcatalog|meta-external(?:agent|fetcher)/),
    entry('Twitterbot', /Twitterbot/),
    entry('LinkedInBot', /LinkedInBot/),
    entry('Slackbot', /Slackbot|Slack-ImgProxy/),
    entry('Discordbot', /Discordbot/),
    entry('TelegramBot', /TelegramBot/),
    entry('Pinterestbot', /Pinterestbot/),
    entry('Microsoft preview', /ms-office|SkypeUriPreview|MicrosoftPreview/),
    entry('Link previews', /[Ll]ink ?[Pp]review|[Pp]review(?:er)?(?:\/\d|;|\))/),
    // Fediverse servers fetch a preview of every link a post contains.
    entry('Fediverse servers', /^(?:Mastodon|Misskey|CherryPick|Iceshrimp|gotosocial|Pleroma|Akkoma|Friendica|Sharkey|Firefish)\//),
    entry('Fediverse servers (http.rb)', /\(http\.rb\/[\d.]+; \+https?:\/\//),
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
    entry('Feed aggregators', /feedly\.com\/fetcher|Feedbin|Inoreader|NewsBlur|Superfeedr|theoldreader|Feedspot|\d+ subscribers?[;)]/),
    entry('Self-hosted feed readers', /Tiny Tiny RSS|FreshRSS|Miniflux/),

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
    entry('PlayNext', /^playnext-|PlayNext\//),
    entry('IPFS Podcasting', /IPFS Podcasting/),

    // Hosting platforms fetching or migrating feeds and audio
    entry('Hosting platforms', /Buzzsprout|Blubrry|PowerPress|Castopod|Transistor\.fm|Simplecast|RedCircle|OmnyStudio/),
    entry('Hosting and recording services', /SupportingCast|Zencastr|Libsyn\d*-Download|Hosting\/\d/),
    entry('Podget', /^Podget/),
    entry('castget', /^castget/),
    entry('poddl', /^poddl\b|^[Pp]odcast-?[Dd][Ll]\//),

    // Transcription, speech and AI services
    entry('Transcription services', /[Tt]ranscri(?:be|ber|bing|ption)|Whisper|Speechmatics|speechischeap|STT-|-stt\//),
    entry('AI services', /pyannoteAI|Cartesia|veritone|AllEars|NotebookLM|MCP\/|\bLLM\b/),

    // Scripts that say what they are. Kept last: they are the broadest.
    entry('Podcast downloaders', /[Pp]od[A-Za-z]*Downloader|[Dd]ownload[-_ ]?[Ww]orker|-Download$/),
    entry('Downloaders', /(?:^|[-_(])[Dd]ownloader(?:\/[\d.]+)?(?:\)|$| \(\+)|[A-Za-z] [Dd]ownloader\)/),
    entry('Importers', /[Ii]mport(?:er|ing)?(?![a-z])/),
    entry('Pipelines and workers', /[Pp]ipeline|[Ww]orker(?![a-z])|[Bb]ackfill|[Pp]reflight|[Pp]rocessor[/)]/),
    entry('Research and analysis tools', /[Rr]esearch|[Aa]naly[sz]er|[Cc]lassifier|[Aa]udit\b|[Tt]ranslator/),
    entry('Sync and grab scripts', /Podcast[- ]Sync|[Rr]enamer|[Gg]rabber|[Pp]uller/),
    entry('Feed scanners and indexers', /[Ss]canner|[Ii]ndexer|[Cc]atalog(?![a-z])|[Ss]earcher\b|[Ss]earch [Ee]ngine|[Pp]odcast API/),
    entry('Feed parsers', /[Ff]eed [Cc]onsumer|[Ff]eed ?(?:[Rr]eader|[Pp]arser)\/|Feed Parser/),
    entry('Checkers and validators', /[Cc]heck(?:er)?(?![a-z])|[Tt]ester\/|[Vv]alidator|[Mm]onitor(?:ing)?(?![a-z])/),
    entry('Fetchers', /^[Ff]etch[-_/]|(?<!node)-fetch\/|[a-z]Fetch(?:er)?\/|[Ff]etcher/),
    entry('Crawlers and scrapers', /[Cc]rawler|[Ss]pider|[Ss]crap(?:e|er|ing)\b|Scrper/),
    // "(compatible; Name; +https://...)" with a bot, crawler or spider name, even in a browser's agent.
    entry('Self-declared bot in a browser agent', /\(compatible; [^;)]*(?:[Bb]ot|[Cc]rawl|[Ss]pider)\b/),
    // A bare or cut-off "Mozilla/5.0", or one self-named non-browser token: no real client sends these.
    entry('Truncated browser agent', /^\W*Mozilla(?:\/\d+(?:\.\d+)?)?\W*$/),
    entry('Unnamed compatible agent', /^Mozilla\/5\.0 \(compatible; [^;()+]+(?:; ?\+?https?:\/\/[^;()]*)?\)$/),
  ],
};
