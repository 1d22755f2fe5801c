export { createStore, isUptimeWindow, UPTIME_WINDOWS_MS } from './store.js';
export type { LocalStore, Store, StoreOptions, UptimeWindow } from './store.js';
export { createRing } from './ring.js';
export type { Ring } from './ring.js';
export { createUptimeBuckets, HOUR_MS, UPTIME_RETENTION_HOURS } from './uptime.js';
export type { HourBucket, UptimeBuckets } from './uptime.js';
