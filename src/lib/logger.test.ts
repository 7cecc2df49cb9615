import { Writable } from 'node:stream';
import { createLogger } from './logger';

/** A logger writing into an array of parsed lines. */
function capture(secrets?: string[]) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', destination, { secrets }), lines };
}

const KEYED = 'https://eth-mainnet.g.alchemy.com/v2/Ab3_dE-fGhIjKlMnOpQr';

describe('logger redaction', () => {
  it('masks an RPC key carried through an error cause chain (message and stack)', () => {
    const { logger, lines } = capture();
    const root = new Error(`connect ECONNREFUSED while fetching ${KEYED}`);
    const middle = new Error('HTTP request failed', { cause: root });
    const top = new Error('ingest pass failed', { cause: middle });
    (top as Error & { url?: string }).url = KEYED;
    logger.error({ err: top }, `cannot reach ${KEYED}`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('Ab3_dE-fGhIjKlMnOpQr');
    const entry = JSON.parse(lines[0]!);
    expect(entry.msg).toBe('cannot reach https://eth-mainnet.g.alchemy.com/v2/***');
    expect(entry.err.message).toContain('https://eth-mainnet.g.alchemy.com/v2/***');
    expect(entry.err.stack).toContain('caused by: Error: connect ECONNREFUSED while fetching https://eth-mainnet.g.alchemy.com/v2/***');
    expect(entry.err.url).toBe('https://eth-mainnet.g.alchemy.com/v2/***');
  });

  it('masks configured secrets, webhook URLs and bearer tokens in any field', () => {
    const key = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
    const { logger, lines } = capture([key, 'routing-key-42']);
    logger.warn({ detail: { sent: `0x${key}`, to: 'https://hooks.slack.com/services/T0ABCDEF/B0ABCDEF/abcdefghijklmnopqrstuvwx', headers: { authorization: 'Bearer abc.def.ghi123' }, routing: 'routing-key-42' } }, 'send failed');
    const text = lines.join('');
    expect(text).not.toMatch(new RegExp(`${key}|abcdefghijklmnopqrstuvwx|abc\\.def\\.ghi123|routing-key-42`));
    expect(JSON.parse(text).detail).toEqual({ sent: '0x***', to: 'https://hooks.slack.com/services/***/***/***', headers: { authorization: 'Bearer ***' }, routing: '***' });
  });
});
