/**
 * examples/kubernetes/: every manifest validates against the Kubernetes API schemas
 * (kubernetes-models' validators, generated from the OpenAPI specs; the Prometheus Operator CRDs
 * for the ServiceMonitor), the kustomization lists them all, and what they tell vigil is real:
 * the args are flags vigil accepts with a valid shard setup for every pod ordinal, the probes hit
 * routes vigil serves, the ConfigMap's config loads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import type { IContainer } from 'kubernetes-models/v1';
import type { IStatefulSet } from 'kubernetes-models/apps/v1';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { parseFlags } from '../../src/flags.js';
import { createLogger } from '../../src/log.js';
import { createOwnership } from '../../src/shard/ownership.js';
import { resolveShard } from '../../src/shard/settings.js';

const DIR = resolve(import.meta.dirname, '../../examples/kubernetes');

interface Validatable {
  validate(): void;
}
type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> } } & Record<string, unknown>;

/** The validating model for each apiVersion/kind the example uses. */
const MODELS: Record<string, (data: Manifest) => Validatable> = {
  'v1/ConfigMap': (d) => new ConfigMap(d as ConstructorParameters<typeof ConfigMap>[0]),
  'v1/Service': (d) => new Service(d as ConstructorParameters<typeof Service>[0]),
  'apps/v1/StatefulSet': (d) => new StatefulSet(d as ConstructorParameters<typeof StatefulSet>[0]),
  'policy/v1/PodDisruptionBudget': (d) => new PodDisruptionBudget(d as ConstructorParameters<typeof PodDisruptionBudget>[0]),
  'monitoring.coreos.com/v1/ServiceMonitor': (d) => new ServiceMonitor(d as unknown as ConstructorParameters<typeof ServiceMonitor>[0]),
};

const kustomization = parse(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8')) as {
  kind: string;
  resources: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
};

const manifests: { file: string; doc: Manifest }[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => {
    expect(doc.errors, file).toEqual([]);
    return { file, doc: doc.toJS() as Manifest };
  }),
);
const find = <T>(kind: string): T => manifests.find((m) => m.doc.kind === kind)?.doc as unknown as T;
const statefulSet = find<IStatefulSet>('StatefulSet');
const podSpec = statefulSet.spec!.template.spec!;
const container = podSpec.containers[0] as IContainer;

describe('examples/kubernetes manifests', () => {
  it('the kustomization lists every manifest in the folder, each one existing', () => {
    expect(kustomization.kind).toBe('Kustomization');
    const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(kustomization.images?.map((i) => i.name)).toContain(container.image);
  });

  it.each(manifests.map((m) => [`${m.file}: ${m.doc.kind} ${m.doc.metadata.name}`, m.doc] as const))('%s validates against its API schema', (_name, doc) => {
    const model = MODELS[`${doc.apiVersion}/${doc.kind}`];
    expect(model, `${doc.apiVersion}/${doc.kind} has a validator`).toBeDefined();
    expect(() => model!(doc).validate()).not.toThrow();
  });

  it('the validators do reject what the API server rejects', () => {
    const broken = structuredClone(statefulSet) as unknown as Manifest;
    ((broken.spec as IStatefulSet['spec'])!.template.spec!.containers[0]!.ports![0] as { containerPort: unknown }).containerPort = '8080';
    expect(() => MODELS['apps/v1/StatefulSet']!(broken).validate()).toThrow(/containerPort must be integer/);
    const noSelector = structuredClone(statefulSet) as unknown as Manifest;
    delete (noSelector.spec as Record<string, unknown>).selector;
    expect(() => MODELS['apps/v1/StatefulSet']!(noSelector).validate()).toThrow(/selector/);
    const monitor = structuredClone(find<IServiceMonitor>('ServiceMonitor')) as unknown as Manifest;
    (monitor.spec as { endpoints: { interval: string }[] }).endpoints[0]!.interval = '30 seconds';
    expect(() => MODELS['monitoring.coreos.com/v1/ServiceMonitor']!(monitor).validate()).toThrow(/interval/);
  });

  it('runs 3 shards from the pod ordinal with flags vigil accepts; each endpoint has 2 owners', async () => {
    expect(statefulSet.spec!.replicas).toBe(3);
    const command = parseFlags(container.args ?? []);
    if (command.kind !== 'run') throw new Error('expected run');
    const { shard } = command.flags;
    expect(shard).toEqual({ count: 3, indexFromHostname: true, replication: 2 });

    const config = await loadConfigMap();
    const keys = config.endpoints.map((e) => e.key);
    const owners = new Map(keys.map((k) => [k, 0]));
    for (let ordinal = 0; ordinal < statefulSet.spec!.replicas!; ordinal++) {
      const settings = resolveShard(shard, config.vigil.shard, () => `${statefulSet.metadata!.name}-${ordinal}`);
      const ownership = createOwnership(settings, keys);
      for (const key of keys) if (ownership.owns(key)) owners.set(key, (owners.get(key) ?? 0) + 1);
    }
    for (const [key, n] of owners) expect(n, key).toBe(2);
  });

  it('the ConfigMap holds a config vigil loads, with one Alertmanager peer per pod', async () => {
    const config = await loadConfigMap();
    expect(config.endpoints.length).toBeGreaterThan(0);
    expect(config.vigil.alertmanagers.map((a) => a.url)).toEqual([
      'http://alertmanager-0.alertmanager.monitoring.svc:9093',
      'http://alertmanager-1.alertmanager.monitoring.svc:9093',
    ]);
    const volume = podSpec.volumes?.find((v) => v.configMap?.name === find<Manifest>('ConfigMap').metadata.name);
    const mount = container.volumeMounts?.find((m) => m.name === volume?.name);
    expect(`${mount?.mountPath}/config.yaml`).toBe((parseFlags(container.args ?? []) as { flags: { configFile: string } }).flags.configFile);
  });

  it('runs as the image\'s numeric non-root user, and probes named ports', () => {
    expect(podSpec.securityContext?.runAsNonRoot).toBe(true);
    const dockerUser = /^USER (\d+)/m.exec(readFileSync(join(DIR, '../../Dockerfile'), 'utf8'))?.[1];
    expect(String(podSpec.securityContext?.runAsUser)).toBe(dockerUser);
    const portNames = (container.ports ?? []).map((p) => p.name);
    expect(portNames).toContain(container.readinessProbe?.httpGet?.port);
    expect(portNames).toContain(container.livenessProbe?.httpGet?.port);
    const listen = (parseFlags(container.args ?? []) as { flags: { listenAddress: string } }).flags.listenAddress;
    expect(listen).toBe(`:${container.ports?.find((p) => p.name === 'http')?.containerPort}`);
  });

  it('the headless Service, PodDisruptionBudget and ServiceMonitor select the pods', () => {
    const podLabels = statefulSet.spec!.template.metadata!.labels!;
    const matches = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
      Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v) && Object.keys(selector ?? {}).length > 0;
    const service = find<{ metadata: { name: string; labels: Record<string, string> }; spec: { clusterIP: string; selector: Record<string, string>; ports: { name: string }[] } }>('Service');
    expect(service.spec.clusterIP).toBe('None');
    expect(statefulSet.spec!.serviceName).toBe(service.metadata.name);
    expect(matches(service.spec.selector, podLabels)).toBe(true);
    const pdb = find<{ spec: { selector: { matchLabels: Record<string, string> }; maxUnavailable: number } }>('PodDisruptionBudget');
    expect(matches(pdb.spec.selector.matchLabels, podLabels)).toBe(true);
    // replication 2: at most one owner of an endpoint may be disrupted at a time
    expect(pdb.spec.maxUnavailable).toBe(1);
    const monitor = find<IServiceMonitor>('ServiceMonitor');
    expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
    expect(service.spec.ports.map((p) => p.name)).toContain(monitor.spec.endpoints?.[0]?.port);
  });
});

describe('examples/kubernetes probe paths', () => {
  let dir = '';
  let app: RunningApp | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-k8s-'));
    const file = join(dir, 'config.yaml');
    await writeFile(file, 'endpoints:\n  - name: a\n    url: http://127.0.0.1:9/\n    interval: 1h\n    conditions: ["[STATUS] == 200"]\n');
    const command = parseFlags([`--config.file=${file}`, '--web.listen-address=127.0.0.1:0']);
    if (command.kind !== 'run') throw new Error('expected run');
    app = await startApp(command.flags, createLogger({ write: () => undefined }));
  });
  afterAll(async () => {
    await app?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('readiness, liveness and the ServiceMonitor path are routes vigil serves', async () => {
    const monitor = find<IServiceMonitor>('ServiceMonitor');
    const paths = [container.readinessProbe?.httpGet?.path, container.livenessProbe?.httpGet?.path, monitor.spec.endpoints?.[0]?.path];
    expect(paths).toEqual(['/-/ready', '/-/healthy', '/metrics']);
    for (const path of paths) expect((await fetch(`${app!.url}${path}`)).status, path).toBe(200);
  });
});

async function loadConfigMap() {
  const data = (find<Manifest>('ConfigMap').data ?? {}) as Record<string, string>;
  const dir = await mkdtemp(join(tmpdir(), 'vigil-k8s-config-'));
  try {
    const file = join(dir, 'config.yaml');
    await writeFile(file, data['config.yaml'] ?? '');
    return await loadConfig(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
