/** Structured logger: JSON or logfmt lines, one per event. Passed in, never global. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'logfmt';
export type LogFields = Record<string, unknown>;

export interface Logger {
  /** `fields` may be a function: it runs only when debug is on (per-probe lines cost nothing otherwise). */
  debug(msg: string, fields?: LogFields | (() => LogFields)): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const LOG_LEVELS = Object.keys(LEVELS) as LogLevel[];
export const LOG_FORMATS: LogFormat[] = ['json', 'logfmt'];

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  write?: (line: string) => void;
  now?: () => Date;
}

function fieldValue(value: unknown): unknown {
  if (value instanceof Error) return value.message;
  return value;
}

function logfmtValue(value: unknown): string {
  const v = fieldValue(value);
  const text = typeof v === 'string' ? v : JSON.stringify(v) ?? 'null';
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}

export function createLogger(options: LoggerOptions = {}, bound: LogFields = {}): Logger {
  const threshold = LEVELS[options.level ?? 'info'];
  const format = options.format ?? 'json';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());

  const emit = (level: LogLevel, msg: string, given: LogFields | (() => LogFields) = {}): void => {
    if (LEVELS[level] < threshold) return;
    const fields = typeof given === 'function' ? given() : given;
    const record: LogFields = { ts: now().toISOString(), level, msg, ...bound, ...fields };
    if (format === 'json') {
      write(JSON.stringify(record, (_k, v: unknown) => fieldValue(v)));
    } else {
      write(Object.entries(record).map(([k, v]) => `${k}=${logfmtValue(v)}`).join(' '));
    }
  };

  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** A logger that drops everything; for tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ write: () => undefined });
