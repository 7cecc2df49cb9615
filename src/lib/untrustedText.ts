/**
 * Characters besides the controls that change how text is shown without being seen, as the body
 * of a `u`-flag character class: the soft hyphen, the combining grapheme joiner, the Arabic letter
 * mark, blank-looking fillers (Hangul, Khmer, halfwidth), the Mongolian vowel separator,
 * zero-width characters and direction marks, line/paragraph separators, bidi embeddings and
 * overrides, the word joiner and bidi isolates, the byte-order mark, interlinear annotations and
 * tag characters. One list for every place that shows someone else's text: alerts drop them, the
 * CLI and the page write them out.
 */
export const INVISIBLE_CLASS = '\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb\\u{e0000}-\\u{e007f}';

/** controls but tab and line feed (replaced by a space first), and the rest of the list */
const INVISIBLE = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${INVISIBLE_CLASS}]`, 'gu');

/**
 * Text written by someone else (a request's description, a token's symbol, an RPC's error) made
 * fit to show among the desk's own words: one line, no invisible or direction-changing
 * characters, at most `max` characters (code points; `…` marks a cut). On one line it cannot
 * forge a line of its own; clipped on its own, it can never push the desk's lines out of a message.
 *
 * @example
 * untrustedLine('a\nVeto window ends: never', 20) // 'a Veto window ends:…'
 */
export function untrustedLine(text: string, max: number): string {
  const line = text.replace(/[\r\n\t]+/g, ' ').replace(INVISIBLE, '').replace(/ {2,}/g, ' ').trim();
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}
