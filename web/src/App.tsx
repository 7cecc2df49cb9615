/** Layout and routes: `/` the board, `/requests/:id` one request. */
import { useLive, LiveProvider } from './live';
import { Link, useLocation } from './router';
import { localTime } from './format';
import { SessionProvider } from './session';
import { WalletProvider } from './wallet';
import { Board } from './components/Board';
import { RequestPage } from './components/RequestPage';
import { WalletBar } from './components/WalletBar';

function HealthPill() {
  const { health, head, connection } = useLive();
  const rpcDown = health?.rpc?.reachable === false;
  const label = rpcDown
    ? `RPC unreachable since ${localTime(health?.rpc?.unreachableSince)}`
    : connection === 'live'
      ? 'live'
      : connection === 'connecting'
        ? 'connecting…'
        : 'reconnecting…';
  return (
    <div className={`health health-${health?.status ?? 'unknown'}${rpcDown ? ' rpc-down' : ''}`} role="status" aria-live="polite" aria-atomic="true">
      <span className={`dot ${rpcDown ? 'conn-down' : `conn-${connection}`}`} aria-hidden="true" />
      <span className={rpcDown ? 'rpc-down-label' : undefined} title={rpcDown ? `endpoint ${health?.rpc?.endpoint ?? '?'}` : undefined}>
        {label}
      </span>
      {rpcDown && health?.rpc?.endpoint && <span className="muted small"> ({health.rpc.endpoint})</span>}
      {health?.chainId != null && <span> · chain {health.chainId}</span>}
      {head && <span> · {rpcDown ? 'last head seen' : 'head'} block {head.block.toLocaleString('en-US')}</span>}
      {rpcDown && health?.lagBlocks != null && <span className="health-status"> · ≈ {health.lagBlocks} blocks behind</span>}
      {health && health.status !== 'ok' && !rpcDown && <span className="health-status"> · desk {health.status}</span>}
    </div>
  );
}

/** Problems the desk reports, the two an on-call person must not miss first and spelled out. */
function Banners() {
  const { health } = useLive();
  if (!health) return null;
  const rpcDown = health.rpc?.reachable === false;
  const noChannel = health.alertChannels !== undefined && health.alertChannels.length === 0;
  // those two have banners of their own; the rest are listed as the desk words them
  const others = (health.problems ?? []).filter((p) => !(rpcDown && p.startsWith('RPC unreachable')) && !(noChannel && p.startsWith('no alert channel')));
  return (
    <>
      {rpcDown && (
        <div className="banner banner-bad" role="alert">
          <strong>RPC unreachable</strong> since {localTime(health.rpc?.unreachableSince)} ({health.rpc?.endpoint ?? 'no endpoint'}): the desk cannot see new blocks, send or check transactions. Last head read {localTime(health.rpc?.lastHeadAt)}; deadlines keep running on chain.
        </div>
      )}
      {noChannel && (
        <div className="banner banner-warn" role="alert">
          <strong>No alert channel configured:</strong> alerts, critical ones too, are recorded and shown here, but nobody is told. Set ALERT_WEBHOOK_URL or ALERT_ROUTES_FILE.
        </div>
      )}
      {others.length > 0 && (
        <div className="problems" role="alert">
          {others.join(' · ')}
        </div>
      )}
    </>
  );
}

function Routes() {
  const { path } = useLocation();
  const m = /^\/requests\/([^/]+)\/?$/.exec(path);
  if (m) return <RequestPage id={decodeURIComponent(m[1]!)} />;
  if (path === '/' || path === '') return <Board />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        Nothing at {path}. <Link to="/">Go to the requests board</Link>.
      </p>
    </section>
  );
}

function Shell() {
  const { health } = useLive();
  return (
    <WalletProvider chainId={health?.chainId ?? null}>
      <SessionProvider>
        <a className="skip" href="#main">
          Skip to content
        </a>
        <header className="top">
          <div className="brand">
            <Link to="/">Veto Desk</Link>
          </div>
          <HealthPill />
          <WalletBar />
        </header>
        <Banners />
        <main id="main">
          <Routes />
        </main>
        <footer className="foot muted small">
          Veto Desk · <a href="/api/openapi.json">API</a> · block numbers exact; times of past blocks from the chain, of future ones estimated
        </footer>
      </SessionProvider>
    </WalletProvider>
  );
}

export function App() {
  return (
    <LiveProvider>
      <Shell />
    </LiveProvider>
  );
}
