import { getAddress, recoverAddress, type Hex } from 'viem';
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
    // r = 1 is the x coordinate of a curve point (1 + 7 = 8 = 2³ is a square mod p)
    const r1 = `${'00'.repeat(31)}01`;
    expect(parseSignature(`0x${r1}${'11'.repeat(32)}1c`).kind).toBe('eip712');
    expect(parseSignature(`0x${r1}${'11'.repeat(32)}20`).kind).toBe('eth_sign');
  });

  it.each([
    ['r = 0', `0x${'00'.repeat(32)}${'11'.repeat(32)}1b`, /r and s must be between 1 and the curve order/],
    ['s = 0', `0x${'00'.repeat(31)}01${'00'.repeat(32)}1b`, /r and s must be between 1 and the curve order/],
    ['r = n', `0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141${'11'.repeat(32)}1b`, /r and s must be between 1 and the curve order/],
    ['r off the curve', `0x${'11'.repeat(64)}1b`, /r is not the x coordinate of a point on secp256k1/],
  ])('refuses %s as SIGNATURE_MALFORMED (it used to reach the curve library and answer 500)', (_what, raw, message) => {
    let error: unknown;
    try {
      parseSignature(raw);
    } catch (e) {
      error = e;
    }
    expect(isDeskError(error, 'SIGNATURE_MALFORMED')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('agrees with the curve library on which r can be recovered from (r = 1…64, both v)', async () => {
    let offCurve = 0;
    for (let r = 1; r <= 64; r++) {
      for (const v of ['1b', '1c']) {
        const raw = `0x${r.toString(16).padStart(64, '0')}${'11'.repeat(32)}${v}` as Hex;
        const library = await recoverAddress({ hash, signature: raw }).then(
          () => 'recovers',
          () => 'throws',
        );
        let ours: string;
        try {
          ours = await recoverSigner(hash, parseSignature(raw)).then(() => 'recovers');
        } catch (e) {
          expect(isDeskError(e, 'SIGNATURE_MALFORMED')).toBe(true);
          ours = 'throws';
        }
        expect(`${r}/${v}: ${ours}`).toBe(`${r}/${v}: ${library}`);
        if (library === 'throws') offCurve++;
      }
    }
    // about half of all x values are off the curve: the check was exercised both ways
    expect(offCurve).toBeGreaterThan(20);
    expect(offCurve).toBeLessThan(108);
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
