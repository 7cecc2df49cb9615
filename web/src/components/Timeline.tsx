/** Everything that happened to a request, oldest first (GET /api/requests/:id/timeline). */
import { localTime, shortHash } from '../format';
import type { TimelineEntry } from '../types';

const SOURCES: Record<string, string> = { http: 'the desk (page or API)', cli: 'the CLI', 'tx-service': 'Safe{Wallet}' };

export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  if (entries.length === 0) return <p className="muted">Nothing yet.</p>;
  return (
    <ol className="timeline">
      {entries.map((e, i) => (
        <li key={`${e.kind}-${i}`} className={`tl-${e.kind}`}>
          <div className="tl-when">
            {e.at ? (
              <time dateTime={e.at}>
                {e.estimated ? '≈ ' : ''}
                {localTime(e.at)}
              </time>
            ) : (
              <span className="muted">time not recorded</span>
            )}
            {e.estimated && <span className="est-label"> (estimate)</span>}
            {e.block !== null && <span className="block-no"> · block {e.block}</span>}
          </div>
          <div className="tl-what">
            <strong>{e.title}</strong>
            {e.source && <span className="muted"> via {SOURCES[e.source] ?? e.source}</span>}
            {e.detail && <div className="tl-detail">{e.detail}</div>}
            {e.txHash && (
              <div className="tl-detail">
                tx <code title={e.txHash}>{shortHash(e.txHash)}</code>
              </div>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
