/**
 * Values by request (id and queue transaction: ids are reused on V4), keyed by the id's own text
 * with the transaction compared on lookup: an id then holds several. A key text built per row
 * (`${id}:${tx}`) had been kept per row in each map (≈ 0.1 kB each, 10k requests in several maps).
 */
export class ByRequest<T extends { requestId: string }> {
  private readonly byId = new Map<string, T | T[]>();

  /** `txOf`: the queue transaction a value belongs to */
  constructor(
    private readonly txOf: (v: T) => string,
    values: Iterable<T> = [],
  ) {
    for (const v of values) this.set(v);
  }

  get(requestId: string, requestTxHash: string): T | undefined {
    const e = this.byId.get(requestId);
    if (e === undefined) return undefined;
    if (!Array.isArray(e)) return this.txOf(e) === requestTxHash ? e : undefined;
    return e.find((v) => this.txOf(v) === requestTxHash);
  }

  /** stores `v`, in place of the value of the same request */
  set(v: T): void {
    const tx = this.txOf(v);
    const e = this.byId.get(v.requestId);
    if (e === undefined || (!Array.isArray(e) && this.txOf(e) === tx)) this.byId.set(v.requestId, v);
    else if (!Array.isArray(e)) this.byId.set(v.requestId, [e, v]);
    else {
      const at = e.findIndex((x) => this.txOf(x) === tx);
      if (at >= 0) e[at] = v;
      else e.push(v);
    }
  }
}
