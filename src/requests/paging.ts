/**
 * `GET /api/requests` pages: open requests first (in their veto window, or fulfillable), then by
 * deadline (the veto window's end block, or second on V1/V2), then by id. The cursor is the last
 * served request's place in that order, so a page is found without counting what came before
 * and a request changing status between two pages moves, it is not served twice in one walk.
 */
import { DeskError } from '../errors';
import type { RequestView } from './views';

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1_000;

type Place = [open: 0 | 1, deadline: number, id: string];

const OPEN = new Set<RequestView['status']>(['in_veto_window', 'fulfillable']);

export function placeOf(v: Pick<RequestView, 'status' | 'vetoWindowEnd' | 'requestId'>): Place {
  return [OPEN.has(v.status) ? 0 : 1, v.vetoWindowEnd.block ?? v.vetoWindowEnd.timestamp ?? 0, v.requestId];
}

/** ids compare as numbers (uint256 in decimal): by length, then as text */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export function comparePlaces(a: Place, b: Place): number {
  return a[0] - b[0] || a[1] - b[1] || compareIds(a[2], b[2]);
}

export function encodeCursor(p: Place): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

/** @throws DeskError `BAD_REQUEST` for a cursor this desk did not hand out */
export function decodeCursor(raw: string): Place {
  try {
    const p = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    // exactly what encodeCursor writes: a block number or unix second, and the same text again
    if (Array.isArray(p) && p.length === 3 && (p[0] === 0 || p[0] === 1) && Number.isSafeInteger(p[1]) && p[1] >= 0 && typeof p[2] === 'string' && /^\d{1,78}$/.test(p[2]) && encodeCursor(p as Place) === raw) return p as Place;
  } catch {
    // answered below
  }
  throw new DeskError('BAD_REQUEST', 'cursor is not one this desk handed out (pass nextCursor from the previous page)');
}

/** Views in the pages' order, each with its place (sort once, page many times). */
export function inPageOrder<T extends Pick<RequestView, 'status' | 'vetoWindowEnd' | 'requestId'>>(views: readonly T[]): { v: T; place: Place }[] {
  return views.map((v) => ({ v, place: placeOf(v) })).sort((a, b) => comparePlaces(a.place, b.place));
}

/** The page after `cursor` (from the start without one) of views already in page order (see `inPageOrder`). */
export function pageOfOrdered<T>(ordered: readonly { v: T; place: Place }[], o: { limit: number; cursor?: string }): { page: T[]; nextCursor: string | null } {
  let start = 0;
  if (o.cursor !== undefined) {
    const after = decodeCursor(o.cursor);
    // the first place after the cursor's (binary search)
    let hi = ordered.length;
    while (start < hi) {
      const mid = (start + hi) >>> 1;
      if (comparePlaces(ordered[mid]!.place, after) > 0) hi = mid;
      else start = mid + 1;
    }
  }
  const page = ordered.slice(start, start + o.limit);
  return { page: page.map((x) => x.v), nextCursor: start + o.limit < ordered.length ? encodeCursor(page[page.length - 1]!.place) : null };
}

/** The page after `cursor` (from the start without one) of `views`, and the cursor of the page after it. */
export function pageOf<T extends Pick<RequestView, 'status' | 'vetoWindowEnd' | 'requestId'>>(views: readonly T[], o: { limit: number; cursor?: string }): { page: T[]; nextCursor: string | null } {
  return pageOfOrdered(inPageOrder(views), o);
}

/**
 * `sort=impact`: the page after `cursor` of views already in that order. The order follows figures
 * read from the chain, which move between two pages, so the cursor is the last served request's
 * id: the walk continues after it where it now stands (a request whose figures moved may be
 * served again or skipped, never lost from a full re-walk).
 */
export function pageInOrder<T extends Pick<RequestView, 'requestId'>>(ordered: readonly T[], o: { limit: number; cursor?: string }): { page: T[]; nextCursor: string | null } {
  let start = 0;
  if (o.cursor !== undefined) {
    const last = decodeImpactCursor(o.cursor);
    const at = ordered.findIndex((v) => v.requestId === last);
    start = at < 0 ? 0 : at + 1;
  }
  const page = ordered.slice(start, start + o.limit);
  return { page, nextCursor: start + o.limit < ordered.length ? impactCursor(page[page.length - 1]!.requestId) : null };
}

const impactCursor = (requestId: string) => Buffer.from(JSON.stringify(['impact', requestId])).toString('base64url');

function decodeImpactCursor(raw: string): string {
  try {
    const p = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(p) && p.length === 2 && p[0] === 'impact' && typeof p[1] === 'string' && /^\d{1,78}$/.test(p[1]) && impactCursor(p[1]) === raw) return p[1];
  } catch {
    // answered below
  }
  throw new DeskError('BAD_REQUEST', 'cursor is not one this desk handed out for sort=impact (pass nextCursor from the previous page)');
}
