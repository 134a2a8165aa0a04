import type { PatternFile } from '../pattern-file.ts';
import { entry } from './entry.ts';

// Category "bot" (OPAWG's convention) marks tools that are run from scripts and servers. Libraries
// that apps play through (ExoPlayer, CFNetwork, Dalvik, okhttp, Dart for Flutter apps, Lavf inside
// players) are not bots: an app that keeps a library's default agent is still a listener.
const bot = 'bot';

/** The project's own library list: HTTP clients and media frameworks. */
export const libraries: PatternFile = {
  entries: [
    // Media frameworks apps play through
    entry('ExoPlayer', /ExoPlayer(?:Lib)?\/|^ExoPlayer|ExoMedia/),
    entry('Jetpack Media3', /AndroidXMedia3\//),
    entry('stagefright', /stagefright/),
    entry('Android DownloadManager', /^AndroidDownloadManager/),
    entry('KaiOS Downloader', /^KaiOS Downloader/),
    entry('Dalvik', /^Dalvik\//),
    entry('okhttp', /^okhttp\//),
    entry('Cronet', /Cronet\//),
    entry('Dart', /^Dart\/\d/),
    entry('CFNetwork', /^CFNetwork\//),
    entry('Alamofire', /Alamofire\//),
    entry('Lavf (FFmpeg)', /^Lavf/),
    entry('GStreamer', /GStreamer|^gvfs\//),
    entry('libsoup', /libsoup/),

    // Command-line tools and scripting libraries
    entry('curl', /^curl\/|libcurl|PycURL/, bot),
    entry('Wget', /^Wget\//, bot),
    entry('aria2', /^aria2\//, bot),
    entry('HTTPie', /^HTTPie\//, bot),
    entry('Postman', /PostmanRuntime\//, bot),
    entry('PowerShell', /PowerShell\//, bot),
    entry('AutoHotkey', /^AutoHotkey/, bot),
    entry('python-requests', /python-requests\//, bot),
    entry('python-urllib', /Python-urllib\//, bot),
    entry('aiohttp', /aiohttp\//, bot),
    entry('httpx', /python-httpx\//, bot),
    entry('Scrapy', /Scrapy\//, bot),
    entry('newspaper', /^newspaper\//, bot),
    entry('Python', /^Python\/\d|-python\/\d/, bot),
    entry('Go-http-client', /Go-http-client\/|^Go \d|go-resty\//, bot),
    entry('Colly', /^colly/, bot),
    entry('Java', /^Java\/|^Java-http-client\//, bot),
    entry('Apache-HttpClient', /Apache-HttpClient\/|Jakarta Commons-HttpClient/, bot),
    entry('Async Http Client', /AsyncHttpClient|Async Http Client/, bot),
    entry('Jaunt', /^Jaunt\//, bot),
    entry('axios', /^axios\//, bot),
    entry('node-fetch', /^node-fetch/, bot),
    entry('undici', /^undici/, bot),
    entry('got', /^got \(|^got\/\d/, bot),
    entry('Node.js', /^node(?:js)?\/\d|^Deno\/|^Bun\//, bot),
    entry('libwww-perl', /libwww-perl|LWP::|^HTTP::Tiny/, bot),
    entry('Mechanize', /Mechanize\//, bot),
    entry('Guzzle', /GuzzleHttp\//, bot),
    entry('PHP', /^PHP\/|Symfony HttpClient|^WordPress\//, bot),
    entry('Ruby', /^Ruby|Faraday\/|^rest-client\/|^http\.rb\//, bot),
    entry('reqwest', /^reqwest\/|^req\/\d/, bot),
    entry('R', /^RStudio|^R \(\d|^libcurl\//, bot),
  ],
};
