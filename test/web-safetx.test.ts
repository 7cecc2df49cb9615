/* The browser's checks before a member signs (pure): what the desk builds passes; a refund, another Safe or another call does not. */
import type { Hex } from 'viem';
import { buildRejectionSafeTx, buildVetoSafeTx, safeTxHash, typedDataJson } from '../src/safe/safeTx';
import { checkRejection, checkSafeTx } from '../web/src/safeTx';

const SAFE = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const OTHER_SAFE = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
const SLASHER = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const ATTACKER = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const domain = { chainId: 31337, safe: SAFE } as const;
/** the desk's JSON as the page receives it (the web's generated type) */
const asServed = (td: ReturnType<typeof typedDataJson>) => td as unknown as Parameters<typeof checkSafeTx>[0];

function veto(over: Partial<ReturnType<typeof buildVetoSafeTx>> = {}, safe: Hex = SAFE) {
  const tx = { ...buildVetoSafeTx(SLASHER, 7n, 3n), ...over };
  const d = { ...domain, safe };
  return { td: asServed(typedDataJson(d, tx)), hash: safeTxHash(d, tx) };
}
const failing = (checks: { ok: boolean; text: string }[]) => checks.filter((c) => !c.ok).map((c) => c.text);
const expected = (hash: Hex) => ({ safeTxHash: hash, safe: SAFE as Hex, slasher: SLASHER as Hex, requestId: '7', kind: 'veto' as const, chainId: 31337 });

describe('checkSafeTx', () => {
  it('passes what the desk builds', () => {
    const { td, hash } = veto();
    expect(failing(checkSafeTx(td, expected(hash)))).toEqual([]);
  });

  it.each([
    ['gasPrice', { gasPrice: 1n, refundReceiver: ATTACKER }],
    ['baseGas', { baseGas: 100_000n }],
    ['safeTxGas', { safeTxGas: 1n }],
    ['refundReceiver', { refundReceiver: ATTACKER }],
    ['gasToken', { gasToken: ATTACKER }],
  ] as const)('refuses a refund (%s), even when the desk hashes it the same', (_field, over) => {
    const { td, hash } = veto(over as never);
    const bad = failing(checkSafeTx(td, expected(hash)));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toContain('pays a gas refund from the Safe');
  });

  it('refuses typed data for another Safe', () => {
    const { td, hash } = veto({}, OTHER_SAFE);
    const bad = failing(checkSafeTx(td, expected(hash)));
    expect(bad).toEqual([`for Safe ${OTHER_SAFE}, which is NOT ${SAFE}`]);
  });
});

describe('checkRejection', () => {
  it('passes what the desk builds and refuses a refund', () => {
    const tx = buildRejectionSafeTx(SAFE, 4n);
    const ok = checkRejection(asServed(typedDataJson(domain, tx)), { safeTxHash: safeTxHash(domain, tx), safe: SAFE, nonce: 4, chainId: 31337 });
    expect(failing(ok)).toEqual([]);
    const refund = { ...tx, gasPrice: 1n, refundReceiver: ATTACKER as Hex };
    const bad = failing(checkRejection(asServed(typedDataJson(domain, refund)), { safeTxHash: safeTxHash(domain, refund), safe: SAFE, nonce: 4, chainId: 31337 }));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toContain('pays a gas refund');
  });
});
