import { describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from '../src/flags.js';

describe('flags', () => {
  it('parses Prometheus-style flags with defaults', () => {
    const cmd = parseFlags(['--config.file=a.yaml', '--alertmanager.url=http://a:9093', '--alertmanager.url', 'http://b:9093', '--log.format=logfmt']);
    expect(cmd).toMatchObject({
      kind: 'run',
      flags: {
        configFile: 'a.yaml',
        alertmanagerUrls: ['http://a:9093', 'http://b:9093'],
        logFormat: 'logfmt',
        logLevel: 'info',
        listenAddress: undefined,
        shutdownGraceMs: 5000,
        enableLifecycle: false,
      },
    });
    expect(parseFlags(['--web.enable-lifecycle'])).toMatchObject({ flags: { enableLifecycle: true } });
  });

  it('defaults --config.file to config.yaml, or the given default', () => {
    expect(parseFlags([])).toMatchObject({ flags: { configFile: 'config.yaml' } });
    expect(parseFlags([], 'examples/config.yaml')).toMatchObject({ flags: { configFile: 'examples/config.yaml' } });
  });

  it('recognises --help, --version and check-config', () => {
    expect(parseFlags(['--help'])).toEqual({ kind: 'help' });
    expect(parseFlags(['-h'])).toEqual({ kind: 'help' });
    expect(parseFlags(['--version'])).toEqual({ kind: 'version' });
    expect(parseFlags(['check-config', 'a.yaml', 'b.yaml'])).toEqual({ kind: 'check-config', files: ['a.yaml', 'b.yaml'] });
  });

  it.each([
    [['--nope'], /nope/],
    [['--log.level=verbose'], /log.level.*verbose/],
    [['--log.format=xml'], /log.format/],
    [['--shutdown.grace-period=soon'], /duration/],
    [['check-config'], /at least one file/],
    [['frobnicate'], /unknown command/],
    [['--alertmanager.url=am-1:9093'], /alertmanager.url.*http/],
    [['--alertmanager.url=not a url'], /alertmanager.url.*not a URL/],
    [['--history.prometheus-url=ftp://p'], /history.prometheus-url/],
    [['--history.incident-step=500ms'], /incident-step.*whole seconds/],
    [['--history.incident-step=1.5s'], /incident-step.*whole seconds/],
    [['--history.incident-step=2h'], /incident-step/],
  ])('rejects %j with a usage error', (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(UsageError);
    expect(() => parseFlags(argv)).toThrow(message);
  });

  it('parses --history.incident-step (default 1m)', () => {
    const step = (argv: string[]) => {
      const parsed = parseFlags(argv);
      return parsed.kind === 'run' ? parsed.flags.historyIncidentStepMs : undefined;
    };
    expect(step([])).toBe(60_000);
    expect(step(['--history.incident-step=15s'])).toBe(15_000);
    expect(step(['--history.incident-step=5m'])).toBe(300_000);
  });

  it('parses the shard flags and --location', () => {
    const cmd = parseFlags(['--shard.count=4', '--shard.index', '2', '--shard.replication=2', '--location=eu-west']);
    expect(cmd).toMatchObject({ kind: 'run', flags: { shard: { count: 4, index: 2, replication: 2 }, location: 'eu-west' } });
    expect(parseFlags(['--shard.count=3', '--shard.index-from-hostname'])).toMatchObject({ flags: { shard: { count: 3, indexFromHostname: true } } });
    expect(parseFlags([])).toMatchObject({ flags: { shard: {}, location: undefined } });
  });

  it('rejects shard flags that are not integers, naming the flag', () => {
    expect(() => parseFlags(['--shard.count=two'])).toThrow(new UsageError('--shard.count: "two" is not a non-negative integer'));
    expect(() => parseFlags(['--shard.index=-1'])).toThrow(new UsageError('--shard.index: "-1" is not a non-negative integer'));
    expect(() => parseFlags(['--location='])).toThrow(new UsageError('--location: must not be empty'));
  });
});
