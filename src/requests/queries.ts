/**
 * The request views as people read them: the read model's views with their Safe proposals (the
 * committee's veto, governance's fulfil) and, for the API, the scheduler's next action and
 * history. Built from parts created before it; nothing here calls back into the desk.
 */
import type { RequestStatus } from '../domain/types';
import { orderByImpact, tokenTotals } from '../domain/impact';
import { inPageOrder, pageInOrder, pageOfOrdered } from './paging';
import type { RequestReadModelStage } from './readModel';
import type { RequestReadModel, RequestView, VetoView } from './views';

/** Safe proposal views by request id (a Safe desk's `vetoViews`). */
export type ProposalViews = (requestIds?: string[]) => Promise<Map<string, VetoView>>;

export interface RequestQueriesOptions {
  readModel: RequestReadModelStage;
  /** the committee's vetoes */
  vetoes: ProposalViews;
  /** governance's fulfils */
  fulfils: ProposalViews;
}

async function withProposals(views: RequestView[], o: RequestQueriesOptions, ids?: string[]): Promise<RequestView[]> {
  const [vetoes, fulfils] = await Promise.all([o.vetoes(ids), o.fulfils(ids)]);
  return views.map((v) => {
    const veto = vetoes.get(v.requestId);
    const fulfil = fulfils.get(v.requestId);
    return veto || fulfil ? { ...v, ...(veto ? { veto } : {}), ...(fulfil ? { fulfil } : {}) } : v;
  });
}

/** Every request with its Safe proposals: what the scheduler and alerts decide on. */
export function createRequestViews(o: RequestQueriesOptions) {
  return {
    async all(): Promise<RequestView[]> {
      return withProposals(await o.readModel.snapshot(), o);
    },
    /** these bare views with their proposals (a page: only their proposals are read) */
    async of(views: RequestView[]): Promise<RequestView[]> {
      return views.length ? withProposals(views, o, views.map((v) => v.requestId)) : [];
    },
    async one(requestId: bigint): Promise<RequestView | null> {
      const v = await o.readModel.one(requestId);
      return v ? (await withProposals([v], o, [v.requestId]))[0]! : null;
    },
  };
}

export type RequestViews = ReturnType<typeof createRequestViews>;

/** Largest slash first among requests slashing one token each (see `orderByImpact`). */
export function sortByImpact(views: RequestView[]): RequestView[] {
  // what cannot be compared (several tokens, not read) keeps the pages' own order: open first
  return orderByImpact(inPageOrder(views).map((x) => x.v), (v) => {
    if (!v.impact) return null;
    const totals = tokenTotals(v.impact.strategies.map((s) => ({ token: s.token, tokensToSlash: s.tokensToSlash === null ? null : BigInt(s.tokensToSlash) })));
    return totals && totals.length === 1 ? totals[0]! : null;
  });
}

/** What the API serves: the views with the scheduler's `nextAction` and `actions` added. */
export function createRequestQueries(o: { views: RequestViews; readModel: RequestReadModelStage; annotate: (views: RequestView[]) => Promise<RequestView[]> }): RequestReadModel {
  // the read model hands out the same views until a fact changes: each order (filter, sort) is
  // computed once per set of views, and every page of a polling client is cut from it
  const orders = new WeakMap<readonly RequestView[], Map<string, unknown>>();
  function ordered<T>(views: readonly RequestView[], key: string, make: () => T): T {
    let byKey = orders.get(views);
    if (!byKey) orders.set(views, (byKey = new Map()));
    if (!byKey.has(key)) byKey.set(key, make());
    return byKey.get(key) as T;
  }
  const picked = (views: readonly RequestView[], status?: RequestStatus[]) => (status && status.length > 0 ? views.filter((v) => status.includes(v.status)) : views);
  return {
    async listRequests(filter: { status?: RequestStatus[]; sort?: 'impact' }) {
      const all = await o.views.all();
      const chosen = picked(all, filter.status);
      return o.annotate(filter.sort === 'impact' ? sortByImpact([...chosen]) : [...chosen]);
    },
    async pageRequests(filter) {
      // the page is cut from the bare views: proposals and the scheduler's annotations are read for it only
      const bare = await o.readModel.snapshot();
      const statusKey = [...new Set(filter.status ?? [])].sort().join(',');
      const { page, nextCursor } =
        filter.sort === 'impact'
          ? pageInOrder(ordered(bare, `impact:${statusKey}`, () => sortByImpact([...picked(bare, filter.status)])), filter)
          : pageOfOrdered(ordered(bare, `place:${statusKey}`, () => inPageOrder(picked(bare, filter.status))), filter);
      return { requests: await o.annotate(await o.views.of(page)), nextCursor };
    },
    async getRequest(requestId: bigint) {
      const v = await o.views.one(requestId);
      return v ? (await o.annotate([v]))[0]! : null;
    },
    blockTimes: (numbers) => o.readModel.blockTimes(numbers),
  };
}
