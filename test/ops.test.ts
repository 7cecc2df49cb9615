/*
 * The monitoring files shipped in ops/ against the desk's own registry: the Prometheus rules file
 * parses and is well formed, the Grafana dashboard is valid JSON, and every vetodesk_ metric
 * either names is one the desk exports (a renamed metric must not leave an alert that can never
 * fire). Reads files only: a unit test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createMetrics, METRIC_PREFIX } from '../src/lib/metrics';

const OPS = path.join(__dirname, '..', 'ops');
/** series Prometheus itself makes, not the desk */
const PROMETHEUS_OWN = new Set(['up']);

interface Rule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Every series name the desk can export: histograms and summaries add their suffixes. */
async function exportedSeries(): Promise<Set<string>> {
  const metrics = createMetrics();
  const out = new Set<string>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    out.add(m.name);
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) out.add(`${m.name}${s}`);
    if (String(m.type) === 'summary') for (const s of ['_sum', '_count']) out.add(`${m.name}${s}`);
  }
  return out;
}

/** The metric names an expression reads: identifiers outside strings, label matchers and by/without lists. */
function metricNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const withoutMatchers = withoutStrings.replace(/\{[^}]*\}/g, '{}');
  const withoutGrouping = withoutMatchers.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...withoutGrouping.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0]).filter((n) => n.startsWith(METRIC_PREFIX) || PROMETHEUS_OWN.has(n));
}

function balanced(expr: string): boolean {
  let depth = 0;
  for (const c of expr.replace(/"(?:[^"\\]|\\.)*"/g, '')) {
    if (c === '(' || c === '{' || c === '[') depth++;
    if (c === ')' || c === '}' || c === ']') depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

describe('ops/prometheus/veto-desk.rules.yml', () => {
  const doc = parse(fs.readFileSync(path.join(OPS, 'prometheus', 'veto-desk.rules.yml'), 'utf8')) as { groups?: { name?: string; rules?: Rule[] }[] };
  const rules = (doc.groups ?? []).flatMap((g) => g.rules ?? []);

  it('parses into named groups of alerting rules', () => {
    expect(doc.groups?.length).toBeGreaterThan(0);
    for (const g of doc.groups!) expect(typeof g.name).toBe('string');
    expect(rules.length).toBeGreaterThanOrEqual(10);
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it.each(rules.map((r) => [r.alert ?? '(unnamed)', r] as const))('%s is well formed', (_name, r) => {
    expect(r.alert).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    expect(typeof r.expr).toBe('string');
    expect(balanced(r.expr!)).toBe(true);
    if (r.for !== undefined) expect(r.for).toMatch(/^\d+[smhd]$/);
    expect(['critical', 'warning', 'info']).toContain(r.labels?.severity);
    expect(r.annotations?.summary?.length).toBeGreaterThan(0);
    expect(metricNames(r.expr!).length).toBeGreaterThan(0);
  });

  it('names only metrics the desk exports', async () => {
    const series = await exportedSeries();
    const unknown = rules.flatMap((r) => metricNames(r.expr!).filter((n) => !PROMETHEUS_OWN.has(n) && !series.has(n)).map((n) => `${r.alert}: ${n}`));
    expect(unknown).toEqual([]);
  });

  it('covers the on-call metrics: scheduler, sends, balances, nearest deadlines, RPC', () => {
    const named = new Set(rules.flatMap((r) => metricNames(r.expr!)));
    for (const m of ['scheduler_last_pass_timestamp_seconds', 'scheduler_passes_total', 'sends_total', 'account_balance_eth', 'nearest_window_end_seconds', 'nearest_last_useful_seconds', 'rpc_endpoint_up']) {
      expect([m, named.has(`${METRIC_PREFIX}${m}`)]).toEqual([m, true]);
    }
  });
});

describe('ops/grafana/veto-desk.json', () => {
  const dashboard = JSON.parse(fs.readFileSync(path.join(OPS, 'grafana', 'veto-desk.json'), 'utf8')) as {
    title: string;
    uid: string;
    panels: { id: number; title: string; type: string; targets?: { expr: string }[] }[];
  };
  const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

  it('is a dashboard with panels that query Prometheus', () => {
    expect(dashboard.title).toBe('Veto Desk');
    expect(dashboard.uid).toMatch(/^[a-z0-9-]+$/);
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const e of exprs) expect([e.panel, balanced(e.expr)]).toEqual([e.panel, true]);
  });

  it('names only metrics the desk exports', async () => {
    const series = await exportedSeries();
    const unknown = exprs.flatMap((e) => metricNames(e.expr).filter((n) => !PROMETHEUS_OWN.has(n) && !series.has(n)).map((n) => `${e.panel}: ${n}`));
    expect(unknown).toEqual([]);
    expect(exprs.flatMap((e) => metricNames(e.expr)).length).toBeGreaterThanOrEqual(exprs.length);
  });
});

describe('the metric-name check itself', () => {
  it('finds metric names and skips labels, strings and functions', () => {
    expect(metricNames('sum by (status) (rate(vetodesk_x_total{outcome="vetodesk_y"}[5m])) > 0 or up{job="a"} == 0')).toEqual(['vetodesk_x_total', 'up']);
  });
  it('would catch a metric the desk does not export', async () => {
    const series = await exportedSeries();
    expect(series.has('vetodesk_scheduler_passes_total')).toBe(true);
    expect(series.has('vetodesk_scheduler_pass_duration_seconds_bucket')).toBe(true);
    expect(series.has('vetodesk_no_such_metric')).toBe(false);
  });
});
