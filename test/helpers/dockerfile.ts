/**
 * Runs a Dockerfile's steps without a container engine, as far as that is possible: each stage
 * gets a temporary directory standing for its filesystem root; WORKDIR, ENV, COPY (from the build
 * context or `--from` another stage) and RUN are performed there; RUN steps that need the image's
 * root filesystem (apt-get) are recorded as skipped. The final stage's ENTRYPOINT + CMD and
 * HEALTHCHECK can then be run with their absolute paths mapped into that directory.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, posix } from 'node:path';
import { promisify } from 'node:util';

export interface Instruction {
  op: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** Instructions grouped by stage; continuation lines joined, comments dropped. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i] ?? '';
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i] ?? ''}`;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = /^(\w+)\s+(.*)$/.exec(trimmed);
    if (!m) throw new Error(`Dockerfile:${start + 1}: cannot parse "${trimmed}"`);
    const instruction = { op: (m[1] ?? '').toUpperCase(), args: (m[2] ?? '').replace(/\s+/g, ' '), line: start + 1 };
    if (instruction.op === 'FROM') {
      const [from = '', , name] = instruction.args.split(' ');
      stages.push({ name: name ?? String(stages.length), from, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`Dockerfile:${start + 1}: ${instruction.op} before FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

/** The JSON (exec) form of CMD / ENTRYPOINT / HEALTHCHECK CMD. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`not an exec form: ${args}`);
  return parsed;
}

/** Simple .dockerignore matching: a pattern matches the path or a parent directory; `!` re-includes. */
export function dockerignored(patterns: readonly string[], path: string): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const parts = path.split('/');
    const hit = parts.some((_, i) => posix.matchesGlob(parts.slice(0, i + 1).join('/'), pattern));
    if (hit) ignored = !negate;
  }
  return ignored;
}

export interface BuiltImage {
  /** The final stage's root directory. */
  root: string;
  /** Maps an absolute path in the image to the directory standing for it. */
  path(inImage: string): string;
  env: Record<string, string>;
  workdir: string;
  user: string | undefined;
  entrypoint: string[];
  cmd: string[];
  healthcheck: string[] | undefined;
  /** RUN steps that could not run outside a container. */
  skipped: string[];
  cleanup(): Promise<void>;
}

export async function buildWithoutEngine(dockerfile: string, context: string): Promise<BuiltImage> {
  const stages = parseDockerfile(await readFile(dockerfile, 'utf8'));
  const ignore = (await readFile(join(context, '.dockerignore'), 'utf8').catch(() => ''))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const base = await mkdtemp(join(tmpdir(), 'vigil-image-'));
  const roots = new Map<string, string>();
  const skipped: string[] = [];
  let image: BuiltImage | undefined;
  for (const [n, stage] of stages.entries()) {
    const root = join(base, `stage-${n}`);
    await mkdir(root, { recursive: true });
    roots.set(stage.name, root);
    const inRoot = (p: string) => join(root, p);
    let workdir = '/';
    const env: Record<string, string> = {};
    let user: string | undefined;
    let entrypoint: string[] = [];
    let cmd: string[] = [];
    let healthcheck: string[] | undefined;
    for (const { op, args, line } of stage.instructions) {
      const where = `Dockerfile:${line}`;
      switch (op) {
        case 'WORKDIR':
          workdir = posix.resolve(workdir, args);
          await mkdir(inRoot(workdir), { recursive: true });
          break;
        case 'ENV':
          for (const m of args.matchAll(/(\w+)=(\S+)/g)) env[m[1] ?? ''] = m[2] ?? '';
          break;
        case 'COPY': {
          const words = args.split(' ');
          const fromFlag = words[0]?.startsWith('--from=') ? words.shift()?.slice('--from='.length) : undefined;
          const dest = words.pop() ?? '';
          const target = posix.resolve(workdir, dest);
          const toDir = dest.endsWith('/') || words.length > 1;
          for (const source of words) {
            let from: string;
            if (fromFlag !== undefined) {
              const other = roots.get(fromFlag);
              if (!other) throw new Error(`${where}: unknown stage ${fromFlag}`);
              from = join(other, source);
            } else {
              if (isAbsolute(source) || source.includes('..')) throw new Error(`${where}: ${source} is outside the context`);
              if (dockerignored(ignore, posix.normalize(source))) throw new Error(`${where}: ${source} is excluded by .dockerignore`);
              from = join(context, source);
            }
            const to = inRoot(toDir ? posix.join(target, basename(source)) : target);
            await cp(from, to, {
              recursive: true,
              filter: (path) => fromFlag !== undefined || !dockerignored(ignore, posix.relative(context, path) || '.'),
            });
          }
          break;
        }
        case 'RUN':
          if (/^apt-get\b/.test(args)) {
            skipped.push(args);
            break;
          }
          await promisify(execFile)('sh', ['-c', args], {
            cwd: inRoot(workdir),
            env: { ...process.env, ...env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
            timeout: 300_000,
            maxBuffer: 64 * 1024 * 1024,
          });
          break;
        case 'USER':
          user = args;
          break;
        case 'ENTRYPOINT':
          entrypoint = execForm(args);
          break;
        case 'CMD':
          cmd = execForm(args);
          break;
        case 'HEALTHCHECK':
          healthcheck = execForm(args.slice(args.indexOf('CMD ') + 4));
          break;
        case 'EXPOSE':
        case 'LABEL':
        case 'ARG':
          break;
        default:
          throw new Error(`${where}: ${op} is not emulated`);
      }
    }
    image = {
      root,
      path: (p) => inRoot(p),
      env,
      workdir,
      user,
      entrypoint,
      cmd,
      healthcheck,
      skipped,
      cleanup: () => rm(base, { recursive: true, force: true }),
    };
  }
  if (!image) throw new Error('Dockerfile has no stage');
  return image;
}
