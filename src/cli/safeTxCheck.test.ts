import { encodeFunctionData, getAddress, hashTypedData, parseAbi, zeroAddress } from 'viem';
import { buildRejectionSafeTx, buildVetoSafeTx, safeTxHash, typedDataFromJson, typedDataJson } from '../safe/safeTx';
import { checkHash, compareTypedData, describeDifferences } from './safeTxCheck';

const safe = getAddress('0x1111111111111111111111111111111111111111');
const slasher = getAddress('0x2222222222222222222222222222222222222222');
const attacker = getAddress('0x3333333333333333333333333333333333333333');
const domain = { chainId: 31337, safe };
const tx = buildVetoSafeTx(slasher, 5n, 7n);
const honest = () => JSON.parse(JSON.stringify(typedDataJson(domain, tx))) as ReturnType<typeof typedDataJson>;

describe('compareTypedData', () => {
  it('finds nothing in the honest typed data, whatever the address case or number form', () => {
    expect(compareTypedData(honest(), domain, tx)).toEqual([]);
    const t = honest();
    const loose = { ...t, domain: { chainId: '31337', verifyingContract: safe.toLowerCase() }, message: { ...t.message, to: slasher.toLowerCase(), operation: '0', nonce: 7, data: t.message.data.toUpperCase().replace('0X', '0x') } };
    expect(compareTypedData(loose, domain, tx)).toEqual([]);
  });

  const cases: [string, (t: ReturnType<typeof honest>) => unknown, string, RegExp | undefined][] = [
    ['another chain', (t) => ({ ...t, domain: { ...t.domain, chainId: 1 } }), 'domain.chainId', /another chain/],
    ['another Safe', (t) => ({ ...t, domain: { ...t.domain, verifyingContract: attacker } }), 'domain.verifyingContract', /another Safe/],
    ['DELEGATECALL', (t) => ({ ...t, message: { ...t.message, operation: 1 } }), 'message.operation', /DELEGATECALL/],
    ['value', (t) => ({ ...t, message: { ...t.message, value: '1000000000000000000000' } }), 'message.value', /ether/],
    [
      'addOwnerWithThreshold',
      (t) => ({ ...t, message: { ...t.message, to: safe, data: encodeFunctionData({ abi: parseAbi(['function addOwnerWithThreshold(address,uint256)']), args: [attacker, 1n] }) } }),
      'message.data',
      /addOwnerWithThreshold/,
    ],
    ['gas price', (t) => ({ ...t, message: { ...t.message, gasPrice: '1' } }), 'message.gasPrice', /refund/],
    ['refund receiver', (t) => ({ ...t, message: { ...t.message, refundReceiver: attacker } }), 'message.refundReceiver', /refund/],
    ['safeTxGas', (t) => ({ ...t, message: { ...t.message, safeTxGas: '50000' } }), 'message.safeTxGas', undefined],
    ['nonce', (t) => ({ ...t, message: { ...t.message, nonce: '8' } }), 'message.nonce', undefined],
    ['an extra domain field', (t) => ({ ...t, domain: { ...t.domain, name: 'Safe' } }), 'domain.name', undefined],
    ['an extra message field', (t) => ({ ...t, message: { ...t.message, extra: '1' } }), 'message.extra', undefined],
    ['another primary type', (t) => ({ ...t, primaryType: 'SafeMessage' }), 'primaryType', undefined],
    ['changed types', (t) => ({ ...t, types: { ...t.types, SafeTx: t.types.SafeTx.slice(0, 9) } }), 'types.SafeTx', undefined],
    ['a number where a decimal string is expected, negative', (t) => ({ ...t, message: { ...t.message, value: -1 } }), 'message.value', undefined],
    ['hex for a uint', (t) => ({ ...t, message: { ...t.message, value: '0x0' } }), 'message.value', undefined],
    ['not an object', () => 'hello', '(typed data)', undefined],
  ];
  it.each(cases)('refuses %s', (_name, tamper, field, danger) => {
    const diffs = compareTypedData(tamper(honest()), domain, tx);
    expect(diffs.map((d) => d.field)).toContain(field);
    if (danger) expect(diffs.find((d) => d.field === field)!.danger).toMatch(danger);
    expect(describeDifferences(diffs)).toContain(field);
  });

  it('names every field of the issue\'s attack at once', () => {
    const t = honest();
    const attack = {
      ...t,
      domain: { ...t.domain, chainId: 1 },
      message: { ...t.message, to: safe, value: '1000000000000000000000', operation: 1, data: encodeFunctionData({ abi: parseAbi(['function addOwnerWithThreshold(address,uint256)']), args: [attacker, 1n] }), gasPrice: '1000000000', refundReceiver: attacker },
    };
    expect(compareTypedData(attack, domain, tx).map((d) => d.field).sort()).toEqual(['domain.chainId', 'message.data', 'message.gasPrice', 'message.operation', 'message.refundReceiver', 'message.to', 'message.value']);
  });

  it('escapes what the desk wrote', () => {
    const t = honest();
    const diffs = compareTypedData({ ...t, primaryType: 'x\x1b[2Jy\u202e' }, domain, tx);
    expect(describeDifferences(diffs)).not.toMatch(/\x1b|\u202e/);
  });

  it('checks a rejection the same way', () => {
    const r = buildRejectionSafeTx(safe, 9n);
    const json = JSON.parse(JSON.stringify(typedDataJson(domain, r)));
    expect(compareTypedData(json, domain, r)).toEqual([]);
    expect(compareTypedData({ ...json, message: { ...json.message, data: '0x00' } }, domain, r).map((d) => d.field)).toEqual(['message.data']);
    expect(compareTypedData({ ...json, message: { ...json.message, to: attacker } }, domain, r).map((d) => d.field)).toEqual(['message.to']);
  });
});

describe('checkHash', () => {
  it('computes the Safe EIP-712 hash and compares the desk\'s', () => {
    const h = safeTxHash(domain, tx);
    expect(hashTypedData(typedDataFromJson(honest()))).toBe(h);
    expect(checkHash(h.toUpperCase().replace('0X', '0x'), domain, tx)).toEqual({ hash: h, equal: true });
    expect(checkHash(safeTxHash({ chainId: 1, safe }, tx), domain, tx).equal).toBe(false);
    expect(checkHash(undefined as unknown as string, domain, tx).equal).toBe(false);
    expect(tx).toMatchObject({ gasToken: zeroAddress, refundReceiver: zeroAddress, operation: 0, value: 0n });
  });
});
