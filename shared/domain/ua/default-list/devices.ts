import type { PatternFile } from '../pattern-file.ts';
import { entry } from './entry.ts';

// Categories follow the OPAWG devices file (watch, smart_speaker, smart_tv, auto, mobile,
// computer), so reports group the same way whichever list is loaded. Specific devices come first;
// the generic phone and computer rules last.

/** The project's own device list, matched on its own (not part of the first-match order). */
export const devices: PatternFile = {
  entries: [
    entry('Apple Watch', /^atc\/|watchOS|Watch\d+,\d+|Apple Watch/, 'watch'),
    entry('Apple HomePod', /HomePod|^AirPodcasts\//, 'smart_speaker'),
    entry('Apple TV', /Apple ?TV|tvOS|apple;apple_tv/, 'smart_tv'),
    entry('CarPlay', /CarPlay/, 'auto'),
    entry('Android Auto', /Android ?Auto|gearhead/, 'auto'),
    entry('Car', /Cinemo\/|Polestar|Volvo|Rivian|Tesla|gminfo|BYD AUTO|MIB3/, 'auto'),
    entry('Amazon Echo', /^Echo\/|Amazon;Echo|Alexa|AmazonAVS|AvsDeviceSdk/, 'smart_speaker'),
    entry('Sonos', /Sonos/, 'smart_speaker'),
    entry('Google Home', /SmartSpeaker|Google Home|Google Nest|Nest (?:Audio|Mini|Hub)/, 'smart_speaker'),
    // Speakers and TVs playing through Spotify Connect send "Brand;Model;<id>;;tpapi;<version>".
    entry('Smart speaker', /^(?:Bose|Bluesound|Denon|HEOS|Yamaha|Marshall|JBL|Devialet|Wiim|Edifier|ArgonAudio|Storybutton);|^Storybutton\//, 'smart_speaker'),
    entry('Hi-fi speaker', /^(?:Bang_?And_?Olufsen|Naim_Audio|Bowers_+Wilkins|Audio_Pro|LenbrookIndustries);|^Samsung;HW-/, 'smart_speaker'),
    entry('Chromecast', /CrKey|Chromecast/, 'smart_tv'),
    entry('Roku', /Roku|^roku;/, 'smart_tv'),
    entry('Amazon Fire TV', /Amazon;AFT|\bAFT[A-Z]|Fire TV/, 'smart_tv'),
    entry('Xbox', /Xbox|xbox/, 'smart_tv'),
    entry('PlayStation', /PlayStation|;ps[345];/, 'smart_tv'),
    entry('Smart TV', /SmartTV|SMART-TV|Smart TV|Web0S|webOS|Tizen|BRAVIA|NetCast|HbbTV|Android ?TV|GoogleTV|SHIELD|MiTV|MIBOX/, 'smart_tv'),
    entry('TV brand', /^(?:samsung|Samsung|hisense|Hisense|tcl|TCL|Sony|sony_tv|Xiaomi|Philips|TPV|skyworth|westinghouse|Changhong|Funai);/, 'smart_tv'),
    entry('Set-top box', /^(?:MediaTek|onn\.|nowtv|Amlogic|Sagemcom|Arcadyan|CVT_NULL|NVIDIA|Google|ZTE);|^(?:GW|MR)-Device\//, 'smart_tv'),
    entry('Garmin watch', /^Garmin /, 'watch'),
    entry('Wear OS watch', /Wear ?OS|\bSM-R\d{3}/, 'watch'),
    entry('iPad', /iPad/, 'mobile'),
    // iPhones say "like Mac OS X"; Macs name the CPU ("Intel Mac OS X", "Darwin/19.0.0 (x86_64)").
    entry('Mac', /Macintosh|(?:Intel|PPC) Mac OS X|macOS|Darwin\/[\d.]+ \((?:x86_64|arm64)|\(MacBook/, 'computer'),
    // iOS apps send "<App>/<build> CFNetwork/<v> Darwin/<v>" and often nothing else about the device.
    entry('iPhone', /iPhone|iPod|like Mac OS X|\biOS\b|[Ii][Oo][Ss]\/\d|CFNetwork\/.*Darwin\//, 'mobile'),
    entry('KaiOS phone', /KAIOS/, 'mobile'),
    entry('Android tablet', /Android.*(?:Tablet|; SM-[TX]\d)|android-tablet/, 'mobile'),
    entry('Android phone', /Android|Dalvik|android/, 'mobile'),
    entry('Chromebook', /CrOS/, 'computer'),
    entry('Windows computer', /Windows|Win64|WinNT/, 'computer'),
    entry('Linux computer', /Linux|X11|Ubuntu|Fedora|BSD/, 'computer'),
  ],
};
