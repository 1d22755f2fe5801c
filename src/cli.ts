#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startApp } from './app.js';
import { checkConfig } from './config/check.js';
import { ConfigError, formatIssue } from './errors.js';
import { HELP, parseFlags, UsageError, type Command } from './flags.js';
import { createLogger } from './log.js';
import { REVISION, VERSION } from './version.js';

/** Runs vigil with the given arguments; resolves with the process exit code. */
export async function run(argv: readonly string[], defaultConfigFile?: string): Promise<number> {
  let command: Command;
  try {
    command = parseFlags(argv, defaultConfigFile);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`vigil: error: ${err.message}, try --help\n`);
    return 2;
  }
  switch (command.kind) {
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case 'version':
      process.stdout.write(`vigil, version ${VERSION} (revision: ${REVISION})\n  node: ${process.version}\n`);
      return 0;
    case 'check-config':
      return checkConfig(command.files, (line) => process.stdout.write(`${line}\n`));
    case 'run':
      break;
  }
  const { flags } = command;
  const logger = createLogger({ level: flags.logLevel, format: flags.logFormat });
  let app;
  try {
    app = await startApp(flags, logger);
  } catch (err) {
    if (err instanceof ConfigError) {
      logger.error('cannot load configuration', { file: flags.configFile, errors: err.issues.map(formatIssue) });
      process.stderr.write(`vigil: ${err.message}\n`);
    } else {
      logger.error('cannot start', { err });
      process.stderr.write(`vigil: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    return 1;
  }
  logger.info('vigil started', {
    version: VERSION,
    config: flags.configFile,
    status_page: `${app.url}/`,
    metrics: `${app.url}/metrics`,
    api: `${app.url}/api/v1/endpoints/statuses`,
  });
  // stdout: stderr carries only log lines (JSON or logfmt), for log shippers
  process.stdout.write(`vigil ${VERSION}: status page ${app.url}/  metrics ${app.url}/metrics  API ${app.url}/api/v1/endpoints/statuses\n`);

  const running = app;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info('shutting down', { signal });
      running.stop().then(
        () => {
          logger.info('stopped');
          resolve(0);
        },
        (err: unknown) => {
          logger.error('error while stopping', { err });
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', () => {
      void running.reload();
    });
  });
}

const invokedDirectly = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`vigil: fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
