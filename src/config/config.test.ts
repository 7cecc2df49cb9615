import { isDeskError } from '../errors';
import { loadConfig, type Config, type LoadConfigOptions } from './config';

const SLASHER = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const RPC = { RPC_URL: 'https://rpc.example.org', SLASHER_ADDRESS: SLASHER };

/** The CONFIG_INVALID message for `env`, or fails the test when the env is accepted. */
function problemsOf(env: Record<string, string | undefined>, o: LoadConfigOptions = {}): string[] {
  try {
    loadConfig(env, o);
  } catch (e) {
    if (!isDeskError(e, 'CONFIG_INVALID')) throw e;
    return e.message.split('\n');
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('scheduler variables', () => {
  it('parses every scheduler variable', () => {
    const c = loadConfig({
      SLASHER_PRIVATE_KEY: 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
      DRY_RUN: 'true',
      VETO_EXECUTION_POLICY: 'before_deadline',
      VETO_ESCALATION_LEAD_TIME: '30m',
      FULFIL_FUNCTION: 'fulfillSlashingRequestAndBurnOrRedistribute',
      FEE_BUMP_BLOCKS: '3',
      LEASE_TTL_MS: '5000',
      ALERT_MIN_BALANCE: '0.5',
      MAX_FEE_PER_GAS_GWEI: '2.5',
      FULFIL_AFTER_LAPSE: 'true',
    });
    expect(c.scheduler).toEqual({
      slasherPrivateKey: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
      dryRun: true,
      vetoExecutionPolicy: 'before_deadline',
      vetoEscalationLeadSec: 1800,
      fulfilFunction: 'fulfillSlashingRequestAndBurnOrRedistribute',
      feeBumpBlocks: 3,
      leaseTtlMs: 5000,
      minBalanceWei: 500_000_000_000_000_000n,
      maxFeePerGasWei: 2_500_000_000n,
      fulfilAfterLapse: true,
    });
  });

  it('reports one line per bad scheduler value and hides the key', () => {
    const lines = problemsOf({ SLASHER_PRIVATE_KEY: 'nope', DRY_RUN: 'maybe', VETO_EXECUTION_POLICY: 'later', VETO_ESCALATION_LEAD_TIME: '5', FULFIL_FUNCTION: 'burn', FEE_BUMP_BLOCKS: '0', LEASE_TTL_MS: '10', ALERT_MIN_BALANCE: '-1', MAX_FEE_PER_GAS_GWEI: '0', FULFIL_AFTER_LAPSE: 'sometimes' });
    expect(lines).toEqual([
      expect.stringMatching(/^SLASHER_PRIVATE_KEY: must be a private key.*\(got a value \(hidden\)\)$/),
      'DRY_RUN: must be true or false (got "maybe")',
      'VETO_EXECUTION_POLICY: must be one of at_threshold, before_deadline (got "later")',
      'VETO_ESCALATION_LEAD_TIME: must be a positive duration such as 90s, 30m, 2h or 1d (got "5")',
      'FULFIL_FUNCTION: must be one of fulfillSlashingRequest, fulfillSlashingRequestAndBurnOrRedistribute (got "burn")',
      'FEE_BUMP_BLOCKS: must be an integer number of blocks between 1 and 1000 (got "0")',
      'LEASE_TTL_MS: must be an integer number of milliseconds, at least 1000 (got "10")',
      'ALERT_MIN_BALANCE: must be an amount of ether such as 0.05 (up to 18 decimals) (got "-1")',
      'MAX_FEE_PER_GAS_GWEI: must be more than 0 gwei (got "0")',
      'FULFIL_AFTER_LAPSE: must be true or false (got "sometimes")',
    ]);
  });
});

describe('loadConfig defaults', () => {
  it('runs on the devnet with every default when nothing is set', () => {
    const expected: Config = {
      devnet: true,
      rpcUrls: [],
      slasherAddress: undefined,
      startBlock: undefined,
      confirmations: 0,
      database: { kind: 'sqlite', url: 'file:./data/veto-desk.db', path: './data/veto-desk.db' },
      port: 8080,
      avsAddress: undefined,
      logLevel: 'info',
      pollIntervalMs: 2000,
      reorgDepth: 64,
      maxLogRange: 10000,
      alerts: { channels: [], reminderLeadTimesSec: [172800, 43200, 7200, 1800] },
      scheduler: {
        dryRun: false,
        vetoExecutionPolicy: 'at_threshold',
        vetoEscalationLeadSec: 3600,
        fulfilFunction: 'fulfillSlashingRequest',
        feeBumpBlocks: 2,
        leaseTtlMs: 9000,
        minBalanceWei: 50_000_000_000_000_000n,
        maxFeePerGasWei: 500_000_000_000n,
        fulfilAfterLapse: false,
      },
      trustProxy: false,
      host: '127.0.0.1',
      rateLimit: { readsPerMinute: 600, writesPerMinute: 30 },
    };
    expect(loadConfig({})).toEqual(expected);
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({ RPC_URL: '', PORT: '  ', LOG_LEVEL: '' });
    expect(config.devnet).toBe(true);
    expect(config.port).toBe(8080);
    expect(config.logLevel).toBe('info');
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ HOME: '/root', FOO: 'bar' }).devnet).toBe(true);
  });
});

describe('RPC_URL', () => {
  it.each([
    ['https://rpc.example.org', ['https://rpc.example.org']],
    ['http://127.0.0.1:8545', ['http://127.0.0.1:8545']],
    ['wss://rpc.example.org/ws', ['wss://rpc.example.org/ws']],
    ['ws://localhost:8546', ['ws://localhost:8546']],
    [' https://a.example , wss://b.example ,', ['https://a.example', 'wss://b.example']],
    ['https://a.example,https://a.example', ['https://a.example']],
  ])('accepts %j', (value, urls) => {
    const config = loadConfig({ ...RPC, RPC_URL: value });
    expect(config.devnet).toBe(false);
    expect(config.rpcUrls).toEqual(urls);
  });

  it.each([
    ['ftp://rpc.example.org', 'RPC_URL: must be an http(s):// or ws(s):// URL'],
    ['rpc.example.org', 'RPC_URL: must be an http(s):// or ws(s):// URL'],
    ['https://a.example,localhost:8545', 'RPC_URL: entry 2 must be an http(s):// or ws(s):// URL'],
    [',', 'RPC_URL: must list at least one URL'],
  ])('rejects %j', (value, start) => {
    const [line] = problemsOf({ ...RPC, RPC_URL: value });
    expect(line).toContain(start);
  });

  it('does not echo an API key from a bad value', () => {
    const key = '0123456789abcdef0123456789abcdef';
    const lines = problemsOf({ ...RPC, RPC_URL: `https://mainnet.infura.io/v3/${key},nope` });
    expect(lines).toEqual([
      'RPC_URL: entry 2 must be an http(s):// or ws(s):// URL (several may be comma-separated) ' +
        '(got "https://mainnet.infura.io/v3/***,nope")',
    ]);
  });
});

describe('SLASHER_ADDRESS', () => {
  it('normalises lowercase to the checksummed form', () => {
    const config = loadConfig({ ...RPC, SLASHER_ADDRESS: SLASHER.toLowerCase() });
    expect(config.slasherAddress).toBe(SLASHER);
  });

  it('accepts the checksummed form', () => {
    expect(loadConfig(RPC).slasherAddress).toBe(SLASHER);
  });

  it('is required with RPC_URL', () => {
    expect(problemsOf({ RPC_URL: RPC.RPC_URL })).toEqual([
      'SLASHER_ADDRESS: is required when RPC_URL is set (the VetoableSlasher to track) (unset)',
    ]);
  });

  it('is optional on the devnet', () => {
    expect(loadConfig({ SLASHER_ADDRESS: SLASHER }).slasherAddress).toBe(SLASHER);
  });

  it.each([
    ['0x1234', 'must be a 0x-prefixed address of 40 hex digits'],
    ['5FbDB2315678afecb367f032d93F642f64180aa3', 'must be a 0x-prefixed address of 40 hex digits'],
    ['0xZZbDB2315678afecb367f032d93F642f64180aa3', 'must be a 0x-prefixed address of 40 hex digits'],
    ['0x5fbDB2315678afecb367f032d93F642f64180aa3', 'has a bad EIP-55 checksum'],
  ])('rejects %j', (value, problem) => {
    const [line] = problemsOf({ ...RPC, SLASHER_ADDRESS: value });
    expect(line).toContain(`SLASHER_ADDRESS: ${problem}`);
    expect(line).toContain(`(got "${value}")`);
  });
});

describe('START_BLOCK', () => {
  it.each([
    ['0', 0],
    ['19000000', 19_000_000],
  ])('accepts %j', (value, block) => {
    expect(loadConfig({ START_BLOCK: value }).startBlock).toBe(block);
  });

  it('is undefined when unset', () => {
    expect(loadConfig({}).startBlock).toBeUndefined();
  });

  it.each(['-1', '1.5', 'latest', '0x10', '1e6', '99999999999999999999'])('rejects %j', (value) => {
    expect(problemsOf({ START_BLOCK: value })).toEqual([
      `START_BLOCK: must be a non-negative integer (got "${value}")`,
    ]);
  });
});

describe('CONFIRMATIONS', () => {
  it('defaults to 0 on the devnet and 2 with an RPC', () => {
    expect(loadConfig({}).confirmations).toBe(0);
    expect(loadConfig(RPC).confirmations).toBe(2);
  });

  it.each([
    ['0', 0],
    ['12', 12],
  ])('accepts %j', (value, n) => {
    expect(loadConfig({ ...RPC, CONFIRMATIONS: value }).confirmations).toBe(n);
  });

  it.each(['-2', 'two', '2.0'])('rejects %j', (value) => {
    expect(problemsOf({ CONFIRMATIONS: value })).toEqual([
      `CONFIRMATIONS: must be a non-negative integer (got "${value}")`,
    ]);
  });
});

describe('DATABASE_URL', () => {
  it.each([
    ['file:./data/x.db', { kind: 'sqlite', url: 'file:./data/x.db', path: './data/x.db' }],
    ['file:/var/lib/desk.db', { kind: 'sqlite', url: 'file:/var/lib/desk.db', path: '/var/lib/desk.db' }],
    ['file:///var/lib/desk.db', { kind: 'sqlite', url: 'file:///var/lib/desk.db', path: '/var/lib/desk.db' }],
    ['file:./x.db?mode=rwc', { kind: 'sqlite', url: 'file:./x.db?mode=rwc', path: './x.db' }],
    ['postgresql://desk:pw@db:5432/desk', { kind: 'postgresql', url: 'postgresql://desk:pw@db:5432/desk' }],
    ['postgres://db/desk', { kind: 'postgresql', url: 'postgres://db/desk' }],
  ])('accepts %j', (value, database) => {
    expect(loadConfig({ DATABASE_URL: value }).database).toEqual(database);
  });

  it.each(['mysql://db/desk', './desk.db', 'file:', 'file:./data/', 'sqlite:./x.db', 'postgresql://a b'])(
    'rejects %j',
    (value) => {
      const [line] = problemsOf({ DATABASE_URL: value });
      expect(line).toMatch(/^DATABASE_URL: must be file:<path> \(SQLite\) or postgresql:\/\//);
    },
  );

  it('does not echo a password from a bad value', () => {
    const [line] = problemsOf({ DATABASE_URL: 'mysql://desk:hunter2@db/desk' });
    expect(line).not.toContain('hunter2');
    expect(line).toContain('(got "mysql://desk:***@db/desk")');
  });
});

describe('PORT', () => {
  it.each([
    ['1', 1],
    ['3000', 3000],
    ['65535', 65535],
  ])('accepts %j', (value, port) => {
    expect(loadConfig({ PORT: value }).port).toBe(port);
  });

  it.each(['0', '65536', 'abc', '80.5', '-80'])('rejects %j', (value) => {
    expect(problemsOf({ PORT: value })).toEqual([
      `PORT: must be an integer between 1 and 65535 (got "${value}")`,
    ]);
  });
});

describe('AVS_ADDRESS', () => {
  it('is optional and normalised', () => {
    expect(loadConfig({}).avsAddress).toBeUndefined();
    expect(loadConfig({ AVS_ADDRESS: SLASHER.toLowerCase() }).avsAddress).toBe(SLASHER);
  });

  it('rejects a non-address', () => {
    expect(problemsOf({ AVS_ADDRESS: 'eigen.eth' })).toEqual([
      'AVS_ADDRESS: must be a 0x-prefixed address of 40 hex digits (got "eigen.eth")',
    ]);
  });
});

describe('LOG_LEVEL', () => {
  it.each(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])('accepts %j', (level) => {
    expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it('is case-insensitive', () => {
    expect(loadConfig({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
  });

  it.each(['verbose', 'warning', '30'])('rejects %j', (value) => {
    expect(problemsOf({ LOG_LEVEL: value })).toEqual([
      `LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal, silent (got "${value}")`,
    ]);
  });
});

describe('POLL_INTERVAL_MS', () => {
  it.each([
    ['100', 100],
    ['12000', 12000],
  ])('accepts %j', (value, ms) => {
    expect(loadConfig({ POLL_INTERVAL_MS: value }).pollIntervalMs).toBe(ms);
  });

  it.each(['99', '0', '2s'])('rejects %j', (value) => {
    expect(problemsOf({ POLL_INTERVAL_MS: value })).toEqual([
      `POLL_INTERVAL_MS: must be an integer number of milliseconds, at least 100 (got "${value}")`,
    ]);
  });
});

describe('REORG_DEPTH', () => {
  it.each([
    ['1', 1],
    ['256', 256],
  ])('accepts %j', (value, depth) => {
    expect(loadConfig({ REORG_DEPTH: value }).reorgDepth).toBe(depth);
  });

  it.each(['0', 'deep'])('rejects %j', (value) => {
    expect(problemsOf({ REORG_DEPTH: value })).toEqual([
      `REORG_DEPTH: must be an integer number of blocks, at least 1 (got "${value}")`,
    ]);
  });
});

describe('MAX_LOG_RANGE', () => {
  it.each([
    ['1', 1],
    ['500', 500],
  ])('accepts %j', (value, range) => {
    expect(loadConfig({ MAX_LOG_RANGE: value }).maxLogRange).toBe(range);
  });

  it.each(['0', '10k'])('rejects %j', (value) => {
    expect(problemsOf({ MAX_LOG_RANGE: value })).toEqual([
      `MAX_LOG_RANGE: must be an integer number of blocks, at least 1 (got "${value}")`,
    ]);
  });
});

describe('RPC_MAX_CALLS_PER_SECOND', () => {
  it('is unset by default (a pace learnt from the provider), and accepts a rate', () => {
    expect(loadConfig({}).rpcMaxCallsPerSecond).toBeUndefined();
    expect(loadConfig({ RPC_MAX_CALLS_PER_SECOND: '25' }).rpcMaxCallsPerSecond).toBe(25);
  });

  it.each(['0', '2.5', 'fast'])('rejects %j', (value) => {
    expect(problemsOf({ RPC_MAX_CALLS_PER_SECOND: value })).toEqual([
      `RPC_MAX_CALLS_PER_SECOND: must be an integer number of calls per second, at least 1 (got "${value}")`,
    ]);
  });
});

describe('several problems', () => {
  it('reports every bad variable at once, one line each, in a stable order', () => {
    const lines = problemsOf({
      PORT: 'abc',
      RPC_URL: 'https://rpc.example.org',
      LOG_LEVEL: 'loud',
      START_BLOCK: '-5',
    });
    expect(lines).toEqual([
      'SLASHER_ADDRESS: is required when RPC_URL is set (the VetoableSlasher to track) (unset)',
      'START_BLOCK: must be a non-negative integer (got "-5")',
      'PORT: must be an integer between 1 and 65535 (got "abc")',
      'LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal, silent (got "loud")',
    ]);
  });

  it('throws a non-retryable DeskError', () => {
    expect(() => loadConfig({ PORT: 'x' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', retryable: false }),
    );
  });
});

describe('the devnet is never a fallback for production', () => {
  const KEY = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
  const DESK = { startingDesk: true };

  it('plain npm start with nothing configured runs the devnet', () => {
    expect(loadConfig({}, DESK).devnet).toBe(true);
    expect(loadConfig({ PORT: '9000', LOG_LEVEL: 'debug', DATABASE_URL: 'file:./x.db' }, DESK).devnet).toBe(true);
  });

  it.each([
    ['DATABASE_URL', 'postgresql://desk@db/desk'],
    ['EXECUTOR_PRIVATE_KEY', KEY],
    ['SLASHER_PRIVATE_KEY', KEY],
    ['SLASHER_ADDRESS', SLASHER],
    ['ALERT_WEBHOOK_URL', 'https://hooks.example.org/x'],
    ['SAFE_TX_SERVICE_URL', 'https://safe-transaction-mainnet.safe.global/api'],
    ['SAFE_API_KEY', 'k-123'],
    ['PUBLIC_URL', 'https://desk.example.org'],
    ['TRUST_PROXY', '1'],
  ])('a blank RPC_URL with %s set refuses to start, in one line', (name, value) => {
    const lines = problemsOf({ RPC_URL: '  ', [name]: value }, DESK);
    expect(lines).toEqual([`RPC_URL: is unset but production settings are present (${name}): set RPC_URL, or DEVNET=true to run the embedded devnet with them (unset)`]);
  });

  it('names every production setting it saw and hides none of the other problems', () => {
    const lines = problemsOf({ EXECUTOR_PRIVATE_KEY: KEY, PUBLIC_URL: 'https://desk.example.org', PORT: 'x' }, DESK);
    expect(lines[0]).toMatch(/^RPC_URL: is unset but production settings are present \(EXECUTOR_PRIVATE_KEY, PUBLIC_URL\)/);
    expect(lines[1]).toMatch(/^PORT: /);
  });

  it('DEVNET=true runs the devnet with production settings on purpose', () => {
    const c = loadConfig({ DEVNET: 'true', EXECUTOR_PRIVATE_KEY: KEY, DATABASE_URL: 'postgresql://desk@db/desk' }, DESK);
    expect(c.devnet).toBe(true);
    expect(c.executorPrivateKey).toBe(`0x${KEY}`);
  });

  it('tools that never start a chain (alerts test) read alert settings without RPC_URL', () => {
    expect(loadConfig({ ALERT_WEBHOOK_URL: 'https://hooks.example.org/x' }).alerts.channels).toHaveLength(1);
  });

  it('DEVNET=true with an RPC_URL, and DEVNET=false without one, are contradictions', () => {
    expect(problemsOf({ ...RPC, DEVNET: 'true' }, DESK)).toEqual(['DEVNET: runs the embedded devnet, but RPC_URL is set: unset one of them (got "true")']);
    expect(problemsOf({ DEVNET: 'false' }, DESK)).toEqual(['RPC_URL: is required with DEVNET=false (unset)']);
    expect(loadConfig({ ...RPC, DEVNET: 'false' }, DESK).devnet).toBe(false);
  });
});

describe('PUBLIC_URL, TRUST_PROXY, HOST and rate limits', () => {
  it.each([
    ['https://desk.example.org', 'https://desk.example.org'],
    ['https://desk.example.org/', 'https://desk.example.org'],
    ['HTTPS://Desk.Example.org:8443', 'https://desk.example.org:8443'],
    ['http://localhost:8080', 'http://localhost:8080'],
  ])('PUBLIC_URL %j → origin %j', (value, origin) => {
    expect(loadConfig({ ...RPC, PUBLIC_URL: value }).publicUrl).toBe(origin);
  });

  it.each(['desk.example.org', 'ftp://desk.example.org', 'https://desk.example.org/desk', 'https://desk.example.org/?x=1', 'https://u:p@desk.example.org'])('PUBLIC_URL %j is refused', (value) => {
    const [line] = problemsOf({ ...RPC, PUBLIC_URL: value });
    expect(line).toMatch(/^PUBLIC_URL: must be the http\(s\):\/\/ origin people open the desk at/);
    expect(line).not.toContain(':p@');
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    ['loopback, 10.0.0.0/8, 192.168.1.10, fd00::/8', ['loopback', '10.0.0.0/8', '192.168.1.10', 'fd00::/8']],
  ])('TRUST_PROXY %j → %j', (value, trust) => {
    expect(loadConfig({ ...RPC, TRUST_PROXY: value }).trustProxy).toEqual(trust);
  });

  it.each([
    ['true', /^TRUST_PROXY: true would trust every hop, so any client could forge its address/],
    ['11', /^TRUST_PROXY: must be a number of proxy hops between 0 and 10/],
    ['10.0.0.0/33', /^TRUST_PROXY: must be false, a number of proxy hops .* \(not one: "10\.0\.0\.0\/33"\)/],
    ['proxy.internal', /^TRUST_PROXY: must be false, a number of proxy hops/],
  ])('TRUST_PROXY %j is refused', (value, message) => {
    expect(problemsOf({ ...RPC, TRUST_PROXY: value })[0]).toMatch(message);
  });

  it('HOST defaults to loopback on the devnet (it serves dev keys) and to every interface with an RPC', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig(RPC).host).toBe('0.0.0.0');
    expect(loadConfig({ ...RPC, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '[::]' }).host).toBe('::');
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(problemsOf({ HOST: 'desk.example.org' })).toEqual(['HOST: must be an IP address to bind, such as 127.0.0.1, 0.0.0.0 or :: (got "desk.example.org")']);
  });

  it('rate limits: defaults, overrides, 0 to turn off, nonsense refused', () => {
    expect(loadConfig({}).rateLimit).toEqual({ readsPerMinute: 600, writesPerMinute: 30 });
    expect(loadConfig({ RATE_LIMIT_READS: '0', RATE_LIMIT_WRITES: '120' }).rateLimit).toEqual({ readsPerMinute: 0, writesPerMinute: 120 });
    expect(problemsOf({ RATE_LIMIT_WRITES: 'lots' })).toEqual(['RATE_LIMIT_WRITES: must be a number of requests per minute per client address, 0 for no limit (got "lots")']);
  });
});
