import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { parseFlags } from '../../src/flags.js';

interface Manifest {
  kind: string;
  data?: Record<string, string>;
  spec?: { replicas?: number; template?: { spec?: { containers?: Array<{ args?: string[] }> } } };
}

async function manifests(): Promise<Manifest[]> {
  const text = await readFile(new URL('../../examples/kubernetes/vigil.yaml', import.meta.url), 'utf8');
  return parseAllDocuments(text).map((doc) => {
    expect(doc.errors).toEqual([]);
    return doc.toJS() as Manifest;
  });
}

describe('examples/kubernetes', () => {
  it('has a ConfigMap whose config.yaml vigil loads, with an Alertmanager peer per pod', async () => {
    const configMap = (await manifests()).find((m) => m.kind === 'ConfigMap');
    const dir = await mkdtemp(join(tmpdir(), 'vigil-k8s-'));
    try {
      const file = join(dir, 'config.yaml');
      await writeFile(file, configMap?.data?.['config.yaml'] ?? '');
      const config = await loadConfig(file);
      expect(config.endpoints.map((e) => e.kind)).toEqual(['http', 'dns']);
      expect(config.vigil.alertmanagers).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs several replicas with flags vigil accepts', async () => {
    const deployment = (await manifests()).find((m) => m.kind === 'Deployment');
    expect(deployment?.spec?.replicas).toBeGreaterThanOrEqual(2);
    const args = deployment?.spec?.template?.spec?.containers?.[0]?.args ?? [];
    const command = parseFlags(args);
    expect(command).toMatchObject({ kind: 'run', flags: { configFile: '/etc/vigil/config.yaml', listenAddress: ':8080' } });
  });
});
