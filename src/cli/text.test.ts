import { parseArgs } from './args';
import { CliError } from './cliError';
import { isLocalHost } from './deskClient';
import { blockWords, duration, untrusted, wadPercent, when } from './text';

describe('untrusted', () => {
  it('removes ANSI sequences and shows other controls as escapes', () => {
    expect(untrusted('ok\x1b[2K\x1b[1A\rforged')).toBe('ok\\rforged');
    expect(untrusted('a\x1b]8;;http://evil\x07link\x1b]8;;\x07b')).toBe('alinkb');
    expect(untrusted('line1\nline2\ttab')).toBe('line1\\nline2\\ttab');
    expect(untrusted('abc\u202egnp.exe')).toBe('abc\\u202egnp.exe');
    expect(untrusted('zero\u200bwidth\u0007bell\u0085')).toBe('zero\\u200bwidth\\u0007bell\\u0085');
    expect(untrusted('tag\u{e0041}\u3164fill')).toBe('tag\\u{e0041}\\u3164fill');
    // the soft hyphen and the Arabic letter mark are as invisible, the mark changes direction
    expect(untrusted('a\u00adb\u061cc')).toBe('a\\u00adb\\u061cc');
    // an 8-bit CSI is a whole escape sequence, removed with its final byte
    expect(untrusted('a\u009b2Jb')).toBe('ab');
    expect(untrusted(undefined)).toBe('');
  });
  it('clips long text and says how much was cut', () => {
    expect(untrusted('x'.repeat(300), 10)).toBe(`${'x'.repeat(10)}… (290 more characters)`);
  });
});

describe('formats', () => {
  it('writes wads as exact percentages', () => {
    expect(wadPercent('1000000000000000000')).toBe('100 %');
    expect(wadPercent('125000000000000000')).toBe('12.5 %');
    expect(wadPercent('1')).toBe('≈ 0 %');
    expect(wadPercent('123456789000000000')).toBe('≈ 12.3456 %');
    expect(wadPercent('nope')).toMatch(/not a number/);
  });
  it('writes durations, times and blocks', () => {
    expect(duration(5)).toBe('5 s');
    expect(duration(125)).toBe('2 min 5 s');
    expect(duration(3 * 3600 + 600)).toBe('3 h 10 min');
    expect(duration(2 * 86400 + 4 * 3600)).toBe('2 d 4 h');
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(when('2025-01-01T00:02:05.000Z', true, now)).toBe('2025-01-01 00:02:05 UTC (in 2 min 5 s, estimated)');
    expect(when('2024-12-31T23:59:00.000Z', false, now)).toBe('2024-12-31 23:59:00 UTC (1 min ago)');
    expect(when(null, true, now)).toBe('time unknown');
    expect(blockWords(110, 100)).toBe('block 110 (in 10 blocks)');
    expect(blockWords(99, 100)).toBe('block 99 (1 block ago)');
  });
});

describe('parseArgs', () => {
  const spec = { booleans: ['yes'], values: ['desk', 'request'], positionals: 1 };
  it('reads values, booleans, positionals and --help', () => {
    expect(parseArgs(['queue', '--desk', 'http://x', '--request=5', '--yes'], spec)).toMatchObject({ help: false, flags: { desk: 'http://x', request: '5' }, positionals: ['queue'] });
    expect(parseArgs(['--nope', '--help'], spec).help).toBe(true);
    expect(parseArgs(['-h'], spec).help).toBe(true);
  });
  it('refuses unknown flags, missing values, repeats and extra arguments', () => {
    for (const bad of [['--chain'], ['--desk'], ['--desk', '--yes'], ['--desk', 'a', '--desk', 'b'], ['--yes=1'], ['a', 'b']]) {
      expect(() => parseArgs(bad, spec)).toThrow(CliError);
    }
  });
});

describe('isLocalHost', () => {
  it('accepts loopback only', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'LOCALHOST']) expect(isLocalHost(h)).toBe(true);
    for (const h of ['0.0.0.0', 'desk.example', '10.0.0.1', 'localhost.evil.example', '127.0.0.1.nip.io']) expect(isLocalHost(h)).toBe(false);
  });
});
