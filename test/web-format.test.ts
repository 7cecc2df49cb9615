/* The page's formatters (pure): untrusted text shown with its invisible characters written out. */
import { shownText } from '../web/src/format';

describe('shownText', () => {
  it('writes out direction overrides, isolates, escapes and other invisible characters', () => {
    expect(shownText('a\u202eevil\u202c')).toBe('a\\u202eevil\\u202c');
    expect(shownText('\u001b[31mred\u001b[0m')).toBe('\\u001b[31mred\\u001b[0m');
    expect(shownText('x\u2066y\u2069\u200bz\ufeff\u00ad')).toBe('x\\u2066y\\u2069\\u200bz\\ufeff\\u00ad');
    expect(shownText('line\nbreak\r\ttab\u2028')).toBe('line\\u000abreak\\u000d\\u0009tab\\u2028');
    expect(shownText('\u0085\u009b\u007f')).toBe('\\u0085\\u009b\\u007f');
    // blank-looking fillers and tag characters (outside the basic plane)
    expect(shownText('a\u3164b\u034fc\u180e\ufff9')).toBe('a\\u3164b\\u034fc\\u180e\\ufff9');
    expect(shownText('x\u{e0041}\u{e007f}y')).toBe('x\\u{e0041}\\u{e007f}y');
  });

  it('leaves ordinary text alone, other scripts and emoji included', () => {
    for (const t of ['Slash for double signing at block 1,234', 'שלום עולם', 'مرحبا', '日本語 🚨 <b>&amp;</b>']) expect(shownText(t)).toBe(t);
  });
});
