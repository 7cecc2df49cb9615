/** The Safe variables: EXECUTOR_PRIVATE_KEY, SAFE_CONTRACT_NETWORKS, SAFE_TX_SERVICE_URL, SAFE_API_KEY. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from './config';
import { formatConfigForLog } from './logged';

const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const A = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const NETWORKS = { '31337': { safeSingletonAddress: A, safeProxyFactoryAddress: A, multiSendAddress: A, multiSendCallOnlyAddress: A, fallbackHandlerAddress: A } };

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('safe configuration', () => {
  it('reads a key, networks (inline or file), a service URL and an API key', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vd-')), 'networks.json');
    fs.writeFileSync(file, JSON.stringify(NETWORKS));
    for (const networks of [JSON.stringify(NETWORKS), file]) {
      const c = loadConfig({ EXECUTOR_PRIVATE_KEY: KEY.slice(2), SAFE_CONTRACT_NETWORKS: networks, SAFE_TX_SERVICE_URL: 'https://tx.example/api/', SAFE_API_KEY: 'k' });
      expect(c).toMatchObject({ executorPrivateKey: KEY, safeContractNetworks: NETWORKS, safeTxServiceUrl: 'https://tx.example/api', safeApiKey: 'k' });
    }
  });
  it('never logs or echoes the key', () => {
    const c = loadConfig({ EXECUTOR_PRIVATE_KEY: KEY, SAFE_API_KEY: 'secret' });
    expect(JSON.stringify(formatConfigForLog(c))).not.toMatch(/59c6995e|secret/);
    const message = problems({ EXECUTOR_PRIVATE_KEY: `${KEY}ff` });
    expect(message).toMatch(/^EXECUTOR_PRIVATE_KEY: must be a private key/);
    expect(message).not.toContain('59c6995e');
  });
  it.each([
    [{ SAFE_CONTRACT_NETWORKS: '{"x":1}' }, /^SAFE_CONTRACT_NETWORKS: key "x" is not a chain id/],
    [{ SAFE_CONTRACT_NETWORKS: '{"1":{"safeSingletonAddress":"0x1"}}' }, /^SAFE_CONTRACT_NETWORKS: chain 1: safeSingletonAddress must be an address/],
    [{ SAFE_CONTRACT_NETWORKS: '/nonexistent/file.json' }, /^SAFE_CONTRACT_NETWORKS: must be JSON .* or the path of a readable file/],
    [{ SAFE_TX_SERVICE_URL: 'https://tx.example/' }, /^SAFE_TX_SERVICE_URL: must end in \/api/],
    [{ SAFE_TX_SERVICE_URL: 'ftp://x/api' }, /^SAFE_TX_SERVICE_URL: must be an http\(s\):\/\/ URL/],
  ])('reports %j in one line', (env, line) => {
    const message = problems(env);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(line);
  });
});
