/** The container recipes: the top-level Dockerfile, .dockerignore and examples/ha/docker-compose.yml. */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/flags.js';
import { dockerignored, execForm, parseDockerfile } from '../helpers/dockerfile.js';

const ROOT = resolve(import.meta.dirname, '../..');
const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const final = stages.at(-1)!;
const last = (op: string) => final.instructions.filter((i) => i.op === op).at(-1)?.args ?? '';
const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

describe('Dockerfile', () => {
  it('is multi-stage on a Node 20 slim base', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.from).toMatch(/^node:20(-[a-z]+)?-slim$/);
  });

  it('runs as a numeric non-root user (Kubernetes runAsNonRoot can only verify a number)', () => {
    expect(last('USER')).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
  });

  it('has a HEALTHCHECK on /-/healthy and installs ping for ICMP probes', () => {
    expect(execForm(last('HEALTHCHECK').replace(/^.*?CMD /, '')).join(' ')).toContain('/-/healthy');
    expect(final.instructions.some((i) => i.op === 'RUN' && /apt-get install .*iputils-ping/.test(i.args))).toBe(true);
  });

  it('starts vigil with flags it accepts', () => {
    expect(execForm(last('ENTRYPOINT'))).toEqual(['node', '/app/dist/cli.js']);
    expect(parseFlags(execForm(last('CMD')))).toMatchObject({ kind: 'run', flags: { configFile: '/etc/vigil/config.yaml', listenAddress: ':8080' } });
  });

  it('.dockerignore keeps node_modules, dist, .git and tests out but lets every COPY source in', () => {
    for (const path of ['node_modules/express/package.json', 'dist/cli.js', '.git/HEAD', 'test/app.test.ts', 'examples/ha/vigil.yaml']) {
      expect(dockerignored(ignore, path), path).toBe(true);
    }
    const sources = stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from='))
      .flatMap((i) => i.args.split(' ').slice(0, -1));
    expect(sources).toContain('src');
    for (const source of sources) {
      expect(dockerignored(ignore, posix.normalize(source)), source).toBe(false);
      expect(existsSync(join(ROOT, source)), source).toBe(true);
    }
  });
});

interface ComposeService {
  build?: { context: string; dockerfile: string };
  command?: string[];
  volumes?: string[];
}

describe('examples/ha/docker-compose.yml', () => {
  const dir = join(ROOT, 'examples/ha');
  const compose = parse(readFileSync(join(dir, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };

  it('builds vigil from a Dockerfile that exists', () => {
    const builds = Object.values(compose.services).flatMap((s) => (s.build ? [s.build] : []));
    expect(builds.length).toBeGreaterThan(0);
    for (const build of builds) expect(existsSync(join(dir, build.context, build.dockerfile)), build.dockerfile).toBe(true);
  });

  it('mounts only existing paths, and never inside a read-only mount that lacks the mount point', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const mounts = (service.volumes ?? []).map((v) => {
        const [source = '', target = '', mode = ''] = v.split(':');
        return { source: join(dir, source), target, readOnly: mode.split(',').includes('ro') };
      });
      for (const mount of mounts) {
        expect(existsSync(mount.source), `${name}: ${mount.source}`).toBe(true);
        for (const outer of mounts) {
          if (outer === mount || !outer.readOnly || !mount.target.startsWith(`${outer.target}/`)) continue;
          const point = join(outer.source, posix.relative(outer.target, mount.target));
          expect(existsSync(point), `${name}: ${mount.target} is inside read-only ${outer.target}, which has no ${point}`).toBe(true);
        }
      }
    }
  });

  it('runs vigil replicas with flags vigil accepts', () => {
    const vigils = Object.entries(compose.services).filter(([name]) => name.startsWith('vigil'));
    expect(vigils.length).toBe(3);
    for (const [, service] of vigils) expect(parseFlags(service.command ?? [])).toMatchObject({ kind: 'run' });
  });
});
