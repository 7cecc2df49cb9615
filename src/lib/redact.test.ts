import { loadConfig } from '../config/config';
import { formatConfigForLog } from '../config/logged';
import { redactSecrets, redactUrl } from './redact';

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

describe('redactUrl: webhook and provider secrets', () => {
  it.each([
    ['https://hooks.slack.com/services/T0ABCDEF/B0ABCDEF/abcdefghijklmnopqrstuvwx', 'https://hooks.slack.com/services/***/***/***'],
    ['https://discord.com/api/webhooks/123456789012345678/aBcD-eFgH_iJkL', 'https://discord.com/api/webhooks/***/***'],
    ['https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage', 'https://api.telegram.org/***/sendMessage'],
    ['https://eth-mainnet.g.alchemy.com/v2/abcdefghABCDEFGH', 'https://eth-mainnet.g.alchemy.com/v2/***'],
    ['https://rpc.ankr.com/eth/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'https://rpc.ankr.com/eth/***'],
    ['https://rpc.example.org/?key=abc', 'https://rpc.example.org/?key=***'],
  ])('%s → %s', (input, output) => {
    expect(redactUrl(input)).toBe(output);
  });
});

describe('redactSecrets (free text and whole log lines)', () => {
  const INFURA = 'https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef';

  it('masks a keyed URL inside an error message, keeping the text around it', () => {
    expect(redactSecrets(`HTTP request failed.\nURL: ${INFURA}\nRequest body: {"method":"eth_blockNumber"}`)).toBe(
      'HTTP request failed.\nURL: https://mainnet.infura.io/v3/***\nRequest body: {"method":"eth_blockNumber"}',
    );
  });

  it('masks inside JSON without breaking it', () => {
    const line = JSON.stringify({ err: { message: `fetch failed: ${INFURA}`, url: 'wss://u:pw@rpc.example.org/ws?apikey=k1', headers: { Authorization: 'Bearer abcdef123456' }, privateKey: `0x${'ab'.repeat(32)}` } });
    const out = redactSecrets(line);
    expect(() => JSON.parse(out)).not.toThrow();
    expect(out).not.toMatch(/0123456789abcdef0123456789abcdef|pw@|k1|abcdef123456|abab/);
    expect(JSON.parse(out)).toEqual({ err: { message: 'fetch failed: https://mainnet.infura.io/v3/***', url: 'wss://u:***@rpc.example.org/ws?apikey=***', headers: { Authorization: 'Bearer ***' }, privateKey: '***' } });
  });

  it.each([
    ['EXECUTOR_PRIVATE_KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80', 'EXECUTOR_PRIVATE_KEY=***'],
    ['apiKey: "sk_live_1234"', 'apiKey: "***"'],
    ['token 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw here', 'token *** here'],
    ['authorization: Basic dXNlcjpwYXNzd29yZA==', 'authorization: Basic ***'],
    ['password=hunter22&user=x', 'password=***&user=x'],
  ])('%s → %s', (input, output) => {
    expect(redactSecrets(input)).toBe(output);
  });

  it('masks configured secrets wherever they appear, in any case, with or without 0x', () => {
    const key = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
    expect(redactSecrets(`signing with ${key.toUpperCase()} and 0x${key}`, [key])).toBe('signing with *** and 0x***');
  });

  it('leaves transaction hashes, addresses and plain URLs alone', () => {
    const text = `tx 0x${'ab'.repeat(32)} from 0x5FbDB2315678afecb367f032d93F642f64180aa3 via http://127.0.0.1:8545`;
    expect(redactSecrets(text)).toBe(text);
  });
});
