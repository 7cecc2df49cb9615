import { ByRequest } from './byRequest';

interface Row {
  requestId: string;
  tx: string;
  n: number;
}

describe('ByRequest', () => {
  const byTx = (rows: Row[] = []) => new ByRequest<Row>((r) => r.tx, rows);

  it('finds a value only under its own queue transaction', () => {
    const m = byTx([{ requestId: '1', tx: '0xa', n: 1 }]);
    expect(m.get('1', '0xa')?.n).toBe(1);
    expect(m.get('1', '0xb')).toBeUndefined();
    expect(m.get('2', '0xa')).toBeUndefined();
  });

  it('holds several transactions under one id (V4 reuses ids), each replaced in place', () => {
    const m = byTx([
      { requestId: '1', tx: '0xa', n: 1 },
      { requestId: '1', tx: '0xb', n: 2 },
    ]);
    expect([m.get('1', '0xa')?.n, m.get('1', '0xb')?.n]).toEqual([1, 2]);
    m.set({ requestId: '1', tx: '0xc', n: 3 });
    m.set({ requestId: '1', tx: '0xa', n: 10 });
    m.set({ requestId: '1', tx: '0xb', n: 20 });
    expect([m.get('1', '0xa')?.n, m.get('1', '0xb')?.n, m.get('1', '0xc')?.n]).toEqual([10, 20, 3]);
  });

  it('replaces the single value of a request, and adds a second transaction beside it', () => {
    const m = byTx();
    m.set({ requestId: '7', tx: '0xa', n: 1 });
    m.set({ requestId: '7', tx: '0xa', n: 2 });
    expect(m.get('7', '0xa')?.n).toBe(2);
    m.set({ requestId: '7', tx: '0xb', n: 3 });
    expect([m.get('7', '0xa')?.n, m.get('7', '0xb')?.n]).toEqual([2, 3]);
  });
});
