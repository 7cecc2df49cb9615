import { DeskError } from '../errors';
import { decodeCursor, encodeCursor, pageInOrder, pageOf } from './paging';
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

  it('continues after a cursor whose request moved or left (the place is searched, not the request)', () => {
    const first = pageOf(rows, { limit: 2 });
    expect(first.page.map((r) => r.requestId)).toEqual(['3', '2']);
    // request 2 was vetoed meanwhile: the walk goes on after its old place
    const moved = rows.map((r) => (r.requestId === '2' ? row('2', 'vetoed', 50) : r));
    expect(pageOf(moved, { limit: 10, cursor: first.nextCursor! }).page.map((r) => r.requestId)).toEqual(['10', '4', '1', '2']);
    // a cursor beyond the last place: an empty last page
    expect(pageOf(rows, { limit: 2, cursor: encodeCursor([1, 99, '99']) })).toEqual({ page: [], nextCursor: null });
    // a cursor before the first place: from the start
    expect(pageOf(rows, { limit: 1, cursor: encodeCursor([0, 0, '0']) }).page.map((r) => r.requestId)).toEqual(['3']);
  });

  it('refuses a cursor it did not hand out', () => {
    expect(() => decodeCursor('nope')).toThrow(DeskError);
    expect(() => decodeCursor(Buffer.from('[0,1,"x"]').toString('base64url'))).toThrow(DeskError);
    expect(decodeCursor(encodeCursor([1, 7, '42']))).toEqual([1, 7, '42']);
    // places no view has: a negative, fractional or unsafe deadline
    for (const p of ['[0,-1,"1"]', '[0,1e308,"8"]', '[0,1.5,"8"]', '[0,9007199254740993,"8"]']) expect(() => decodeCursor(Buffer.from(p).toString('base64url'))).toThrow(DeskError);
    // the same place written another way (padding, spaces, standard base64's alphabet) is not ours
    const ours = encodeCursor([0, 12, '3']);
    for (const other of [`${ours}=`, Buffer.from('[0, 12, "3"]').toString('base64url'), `${ours}\n`]) expect(() => decodeCursor(other)).toThrow(DeskError);
  });

  it('an impact cursor is only the one it hands out', () => {
    const ordered = ['5', '9', '2'].map((requestId) => ({ requestId }));
    const first = pageInOrder(ordered, { limit: 1 });
    expect(pageInOrder(ordered, { limit: 1, cursor: first.nextCursor! }).page).toEqual([{ requestId: '9' }]);
    for (const bad of [Buffer.from('["impact", "5"]').toString('base64url'), `${first.nextCursor}==`, Buffer.from('["impact",5]').toString('base64url')]) expect(() => pageInOrder(ordered, { limit: 1, cursor: bad })).toThrow(DeskError);
  });
});
