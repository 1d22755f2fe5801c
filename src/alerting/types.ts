/** Alert shapes shared by the engine, the notifier and the Alertmanager client. */

/** An alert as the engine hands it to the notifier. Times are epoch milliseconds. */
export interface AlertInput {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** When the problem started; defaults to the time of `fire()`. */
  startsAt?: number;
}

/** Alertmanager API v2 `postableAlert` (times are RFC 3339). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}
