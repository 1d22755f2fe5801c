/**
 * examples/grafana/vigil.json: structure a Grafana import needs, a `${datasource}` variable used
 * everywhere, and PromQL that names only metrics vigil exposes or rules.yml records. That every
 * query runs is proven against a real Prometheus in test/integration/prometheus.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  dashboardQueries,
  dashboardVariableQueries,
  parseLabelValues,
  substituteVariables,
} from '../helpers/prometheus.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dashboard = JSON.parse(readFileSync(join(ROOT, 'examples/grafana/vigil.json'), 'utf8')) as Dashboard;

interface Datasource {
  type?: string;
  uid?: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: Datasource;
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: { expr?: string; refId: string; datasource?: Datasource }[];
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  query?: unknown;
  datasource?: Datasource;
}
interface Dashboard {
  title: string;
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
  annotations: { list: { name: string; expr?: string; datasource?: Datasource }[] };
}

/** Metric names vigil registers, read from the source so a rename breaks this test. */
function vigilMetricNames(): Set<string> {
  const names = new Set<string>();
  const files = [
    ...readdirSync(join(ROOT, 'src/metrics')).map((f) => join(ROOT, 'src/metrics', f)),
    join(ROOT, 'src/alerting/metrics.ts'),
  ];
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/name: '(vigil_\w+)'/g)) names.add(m[1]!);
  }
  return names;
}

/** `record:` names in rules.yml. */
function recordedNames(): Set<string> {
  const rules = parse(readFileSync(join(ROOT, 'examples/prometheus/rules.yml'), 'utf8')) as {
    groups: { rules: { record?: string }[] }[];
  };
  return new Set(rules.groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : []))));
}

const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const queryPanels = panels.filter((p) => p.type !== 'row');
const queries = dashboardQueries(dashboard);

describe('examples/grafana/vigil.json', () => {
  it('is an importable dashboard with unique panel ids inside the 24-column grid', () => {
    expect(dashboard.title).toBe('vigil');
    expect(dashboard.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      expect(p.gridPos.x + p.gridPos.w, `panel ${p.id} "${p.title}"`).toBeLessThanOrEqual(24);
      expect(p.gridPos.h, `panel ${p.id}`).toBeGreaterThan(0);
    }
  });

  it('has a Prometheus datasource variable that every panel, target and annotation uses', () => {
    const variable = dashboard.templating.list.find((v) => v.name === 'datasource');
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });
    const prometheusViaVariable = { type: 'prometheus', uid: '${datasource}' };
    for (const p of queryPanels) {
      expect(p.datasource, `panel ${p.id} "${p.title}"`).toEqual(prometheusViaVariable);
      expect(p.targets?.length, `panel ${p.id} "${p.title}" has queries`).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect(t.datasource, `panel ${p.id} target ${t.refId}`).toEqual(prometheusViaVariable);
    }
    for (const v of dashboard.templating.list.filter((v) => v.type === 'query')) {
      expect(v.datasource, `variable ${v.name}`).toEqual(prometheusViaVariable);
    }
    for (const a of dashboard.annotations.list.filter((a) => a.expr)) {
      expect(a.datasource, `annotation ${a.name}`).toEqual(prometheusViaVariable);
    }
  });

  it('has group and endpoint variables from vigil_probe_success, endpoint filtered by group', () => {
    const variables = Object.fromEntries(dashboardVariableQueries(dashboard).map((v) => [v.name, parseLabelValues(v.query)]));
    expect(variables.group).toEqual({ match: 'vigil_probe_success', label: 'group' });
    expect(variables.endpoint).toEqual({ match: 'vigil_probe_success{group=~"$group"}', label: 'endpoint' });
  });

  it('covers uptime, phases, status codes, certificates, replica agreement and the notifier', () => {
    const all = queries.map((q) => q.expr).join('\n');
    for (const needle of [
      'vigil:endpoint_success:quorum',
      'vigil:endpoint_uptime:ratio_30d',
      'vigil_probe_phase_duration_seconds',
      'vigil_probe_duration_seconds_bucket',
      'vigil_probe_http_status_code',
      'vigil_certificate_expiry_timestamp_seconds',
      'vigil:endpoint_success:ratio',
      'vigil_notifications_errors_total',
      'vigil_notifications_dropped_total',
      'vigil_notification_latency_seconds_bucket',
    ]) {
      expect(all).toContain(needle);
    }
  });

  it('queries only metrics vigil exposes or rules.yml records', () => {
    const known = vigilMetricNames();
    expect(known.has('vigil_probe_success')).toBe(true);
    const recorded = recordedNames();
    for (const { where, expr } of queries) {
      for (const [name] of expr.matchAll(/\bvigil[_:][a-z0-9_:]*/g)) {
        const base = name.replace(/_(bucket|sum|count)$/, '');
        expect(known.has(name) || known.has(base) || recorded.has(name), `${where}: ${name}`).toBe(true);
      }
    }
  });

  it('uses only its own variables and Grafana interval variables', () => {
    const values = { group: 'core', endpoint: 'api' };
    for (const { where, expr } of queries) {
      expect(() => substituteVariables(expr, values), where).not.toThrow();
      expect(substituteVariables(expr, values), where).not.toContain('$');
    }
  });
});
