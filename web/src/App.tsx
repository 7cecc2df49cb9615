/** Layout and routes: `/` the board, `/requests/:id` one request. */
import { useLive, LiveProvider } from './live';
import { Link, useLocation } from './router';
import { SessionProvider } from './session';
import { WalletProvider } from './wallet';
import { Board } from './components/Board';
import { RequestPage } from './components/RequestPage';
import { WalletBar } from './components/WalletBar';

function HealthPill() {
  const { health, head, connection } = useLive();
  const label = connection === 'live' ? 'live' : connection === 'connecting' ? 'connecting…' : 'reconnecting…';
  return (
    <div className={`health health-${health?.status ?? 'unknown'}`} role="status" aria-live="polite" aria-atomic="true">
      <span className={`dot conn-${connection}`} aria-hidden="true" />
      <span>{label}</span>
      {health?.chainId != null && <span> · chain {health.chainId}</span>}
      {head && <span> · head block {head.block.toLocaleString('en-US')}</span>}
      {health && health.status !== 'ok' && <span className="health-status"> · desk {health.status}</span>}
    </div>
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
        {health?.problems?.length ? (
          <div className="problems" role="alert">
            {health.problems.join(' · ')}
          </div>
        ) : null}
        <main id="main">
          <Routes />
        </main>
        <footer className="foot muted small">
          Veto Desk · <a href="/api/openapi.json">API</a> · block numbers exact, times estimated
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
