import type { PatternFile } from '../pattern-file.ts';
import { entry } from './entry.ts';

// Browsers that build on Chrome or Safari carry their tokens too, so they come first.

/** The project's own browser list. */
export const browsers: PatternFile = {
  entries: [
    entry('Samsung Internet', /SamsungBrowser\//),
    entry('Edge', /Edg(?:e|A|iOS)?\/\d/),
    entry('Opera', /OPR\/|Opera|OPT\/\d/),
    entry('Yandex Browser', /YaBrowser\//),
    entry('Vivaldi', /Vivaldi\//),
    entry('UC Browser', /UCBrowser\//),
    entry('Brave', /Brave/),
    entry('DuckDuckGo', /DuckDuckGo\/\d|Ddg\/\d/),
    entry('Firefox', /Firefox\/|FxiOS\//),
    entry('Chrome', /Chrome\/|CriOS\/|CrMo\//),
    entry('Internet Explorer', /MSIE |Trident\//),
    entry('Safari', /Version\/[\d.]+.*Safari\/|^Safari\/|Mobile Safari\//),
    // An app's embedded web view: WebKit with no browser token.
    entry('iOS web view', /^Mozilla\/5\.0 \((?:iPhone|iPad|iPod).* AppleWebKit\/[\d.]+ \(KHTML, like Gecko\)(?: Mobile\/\w+)?$/),
    entry('WebKit', /AppleWebKit\//),
  ],
};
