/** Characters that change how text is shown without being seen: controls, bidi overrides, zero-width and blank-looking fillers, tags. */
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\u3164\uFEFF\uFFA0\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/gu;

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
