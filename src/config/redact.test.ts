import { formatConfigForLog, loadConfig } from './config';
import { redactUrl } from './redact';

describe('redactUrl', () => {
  it.each([
    ['https://rpc.example.org', 'https://rpc.example.org/'],
    ['http://127.0.0.1:8545', 'http://127.0.0.1:8545/'],
    ['https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef', 'https://mainnet.infura.io/v3/***'],
    ['https://eth-mainnet.g.alchemy.com/v2/Ab3_dE-fGhIjKlMnOpQr', 'https://eth-mainnet.g.alchemy.com/v2/***'],
    ['wss://user:s3cret@rpc.example.org/ws', 'wss://user:***@rpc.example.org/ws'],
    ['https://apikey123@rpc.example.org', 'https://***@rpc.example.org/'],
    ['https://rpc.example.org/?apikey=abc&chain=1', 'https://rpc.example.org/?apikey=***&chain=***'],
    ['postgresql://desk:hunter2@db:5432/desk', 'postgresql://desk:***@db:5432/desk'],
    ['file:./data/veto-desk.db', 'file:./data/veto-desk.db'],
  ])('%s → %s', (input, output) => {
    expect(redactUrl(input)).toBe(output);
  });

  it('masks what it can in text that is not a URL', () => {
    const out = redactUrl('https//user:pw@host/0123456789abcdef0123?key=value');
    expect(out).not.toContain('pw');
    expect(out).not.toContain('0123456789abcdef0123');
    expect(out).not.toContain('value');
  });
});

describe('formatConfigForLog', () => {
  it('hides RPC keys and database passwords and keeps everything else', () => {
    const config = loadConfig({
      RPC_URL: 'https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef,wss://u:p4ss@b.example',
      SLASHER_ADDRESS: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      DATABASE_URL: 'postgresql://desk:hunter2@db/desk',
      PORT: '9000',
    });
    const logged = formatConfigForLog(config);
    const text = JSON.stringify(logged);
    expect(text).not.toContain('0123456789abcdef0123456789abcdef');
    expect(text).not.toContain('p4ss');
    expect(text).not.toContain('hunter2');
    expect(logged).toMatchObject({
      devnet: false,
      rpcUrls: ['https://mainnet.infura.io/v3/***', 'wss://u:***@b.example/'],
      database: { kind: 'postgresql', url: 'postgresql://desk:***@db/desk' },
      port: 9000,
      slasherAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    });
  });
});
