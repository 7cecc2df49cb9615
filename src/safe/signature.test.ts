import { getAddress, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { isDeskError } from '../errors';
import { buildVetoSafeTx, safeTxHash, safeTxTypedData, typedDataFromJson, typedDataJson } from './safeTx';
import { diagnoseForeignSignature, parseSignature, recoverSigner } from './signature';

const owner = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const stranger = privateKeyToAccount('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a');
const safe = getAddress('0x1000000000000000000000000000000000000001');
const slasher = getAddress('0x2000000000000000000000000000000000000002');
const domain = { chainId: 31337, safe };
const tx = buildVetoSafeTx(slasher, 3n, 5n);
const hash = safeTxHash(domain, tx);

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isDeskError(e) ? e.code : 'OTHER';
  }
  return undefined;
}

describe('veto Safe transaction', () => {
  it('calls cancelSlashingRequest(id) on the slasher with zero gas fields', () => {
    expect(tx.data.slice(0, 10)).toBe('0x1f05cc8e');
    expect(tx).toMatchObject({ to: slasher, value: 0n, operation: 0, safeTxGas: 0n, baseGas: 0n, gasPrice: 0n, nonce: 5n });
  });
  it('round-trips its typed data through JSON', () => {
    const json = JSON.parse(JSON.stringify(typedDataJson(domain, tx))) as ReturnType<typeof typedDataJson>;
    expect(typedDataFromJson(json)).toEqual(safeTxTypedData(domain, tx));
  });
  it('hashes differently per chain, Safe and nonce', () => {
    expect(safeTxHash({ chainId: 1, safe }, tx)).not.toBe(hash);
    expect(safeTxHash({ chainId: 31337, safe: slasher }, tx)).not.toBe(hash);
    expect(safeTxHash(domain, buildVetoSafeTx(slasher, 3n, 6n))).not.toBe(hash);
  });
});

describe('parseSignature', () => {
  it.each([
    [42, 'SIGNATURE_MALFORMED'],
    ['0x12', 'SIGNATURE_MALFORMED'],
    [`0x${'zz'.repeat(65)}`, 'SIGNATURE_MALFORMED'],
    [`0x${'11'.repeat(65)}`, 'SIGNATURE_MALFORMED'],
    [`0x${'11'.repeat(64)}01`, 'SIGNATURE_MALFORMED'],
    [`0x${'11'.repeat(64)}00`, 'SIGNER_IS_CONTRACT'],
    [`0x${'11'.repeat(32)}${'ff'.repeat(32)}1b`, 'SIGNATURE_MALFORMED'],
  ])('refuses %s with %s', (raw, code) => {
    expect(codeOf(() => parseSignature(raw))).toBe(code);
  });
  it('accepts v = 27/28 as EIP-712 and 31/32 as eth_sign', () => {
    expect(parseSignature(`0x${'11'.repeat(64)}1c`).kind).toBe('eip712');
    expect(parseSignature(`0x${'11'.repeat(64)}20`).kind).toBe('eth_sign');
  });
});

describe('recoverSigner', () => {
  it('recovers EIP-712 and eth_sign signatures to the owner', async () => {
    const typed = await owner.signTypedData(safeTxTypedData(domain, tx));
    expect(await recoverSigner(hash, parseSignature(typed))).toBe(owner.address);
    const personal = await owner.signMessage({ message: { raw: hash } });
    const ethSign = `${personal.slice(0, -2)}${(parseInt(personal.slice(-2), 16) + 4).toString(16)}` as Hex;
    expect(await recoverSigner(hash, parseSignature(ethSign))).toBe(owner.address);
  });
  it('names the mistake of an owner who signed another hash, or says not an owner', async () => {
    const wrongChain = parseSignature(await owner.signTypedData(safeTxTypedData({ chainId: 1, safe }, tx)));
    const recovered = await recoverSigner(hash, wrongChain);
    const candidates = [
      { code: 'SIGNATURE_WRONG_NONCE' as const, label: 'nonce 6', hash: safeTxHash(domain, buildVetoSafeTx(slasher, 3n, 6n)) },
      { code: 'SIGNATURE_WRONG_CHAIN' as const, label: 'chain 1', hash: safeTxHash({ chainId: 1, safe }, tx) },
    ];
    expect((await diagnoseForeignSignature(wrongChain, recovered, [owner.address], candidates)).code).toBe('SIGNATURE_WRONG_CHAIN');
    const strangers = parseSignature(await stranger.signTypedData(safeTxTypedData(domain, tx)));
    expect((await diagnoseForeignSignature(strangers, stranger.address, [owner.address], candidates)).code).toBe('SIGNER_NOT_OWNER');
  });
});
