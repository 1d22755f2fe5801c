export { checkAllowlistEntry, createAllowlist, type Allowlist } from './allowlist.js';
export { loadBlackboxConfig, parseBlackboxConfig, type LoadedBlackboxConfig } from './config.js';
export { createProbeHandler, debugOutput, type ProbeHandlerDeps, type ProbeRequest, type ProbeResponse } from './handler.js';
export { ipAddrHash } from './ip-hash.js';
export { HELP, recordProbeResult, tlsVersionLabel, type ProbeMetricName } from './metrics.js';
export { builtinModules, defaultModule, type BlackboxConfig, type BlackboxModule } from './module.js';
export { BlackboxTargetError, planProbe, splitHostPort, type ProbePlan } from './target.js';
export { probeTimeoutMs } from './timeout.js';
