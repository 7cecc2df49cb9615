import { DeskError } from '../errors';
import { decodeCursor, encodeCursor, pageOf } from './paging';
import type { RequestView } from './views';

type Row = Pick<RequestView, 'status' | 'vetoWindowEnd' | 'requestId'>;
const row = (requestId: string, status: RequestView['status'], block: number): Row => ({ requestId, status, vetoWindowEnd: { block, estimatedAt: '', estimated: true } });

describe('pageOf', () => {
  const rows = [row('1', 'fulfilled', 10), row('2', 'in_veto_window', 50), row('3', 'fulfillable', 20), row('10', 'in_veto_window', 50), row('4', 'vetoed', 5)];

  it('serves open requests first, then by deadline, then by id as a number', () => {
    expect(pageOf(rows, { limit: 10 }).page.map((r) => r.requestId)).toEqual(['3', '2', '10', '4', '1']);
    expect(pageOf(rows, { limit: 10 }).nextCursor).toBeNull();
  });

  it('walks every request once, page by page', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const { page, nextCursor } = pageOf(rows, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.map((r) => r.requestId));
      if (!nextCursor) break;
      cursor = nextCursor;
    }
    expect(seen).toEqual(['3', '2', '10', '4', '1']);
  });

  it('refuses a cursor it did not hand out', () => {
    expect(() => decodeCursor('nope')).toThrow(DeskError);
    expect(() => decodeCursor(Buffer.from('[0,1,"x"]').toString('base64url'))).toThrow(DeskError);
    expect(decodeCursor(encodeCursor([1, 7, '42']))).toEqual([1, 7, '42']);
  });
});
