/**
 * The watched Safes' events are seen only by the desk that ingests their block: another desk on
 * the same database (a standby, or one that lost the race for a block) never reads those logs.
 * The checkpoint counts what may have changed a watched Safe (`safeChanges`: its logs, a backfill
 * that did not read them, a reorg); a count that moved by more than this desk's own writes means
 * another desk's did, and this desk reads its Safes again. One count covers every watched Safe:
 * a desk that did not ingest the block reads all of them again where the ingesting desk reads
 * only the one that logged (a few calls per change, none while nothing changes). The first count
 * read is told too: the desk may have read its Safes before it, and a change counted before then
 * would otherwise be taken as already seen.
 */
export function createSharedWatch(onOtherChanges: () => void) {
  let seen: number | undefined;
  let own = 0;
  return {
    /** this desk's committed write added `n` to the count */
    wrote(n: number): void {
      own += n;
    },
    /** a checkpoint as read: compared with the last one read plus this desk's writes since */
    observe(c: { safeChanges?: number } | null): void {
      if (c?.safeChanges === undefined) return;
      if (seen === undefined || c.safeChanges !== seen + own) onOtherChanges();
      seen = c.safeChanges;
      own = 0;
    },
  };
}
