// vigil under bench/fleet.mjs (child process): the real app (dist/app.js startApp) on a generated
// config. Sends { cmd: 'ready', port, idleRss } once listening; then see fleet-child.mjs.
// Args: --config=FILE --dist=DIR
import { arg, loadDist } from './lib.mjs';
import { measuredChild } from './fleet-child.mjs';

const { startApp } = await loadDist('app.js');
const { parseFlags } = await loadDist('flags.js');
const { createLogger } = await loadDist('log.js');

const command = parseFlags([`--config.file=${arg('config', '')}`, '--web.listen-address=127.0.0.1:0', '--log.level=error', '--replica=bench']);
if (command.kind !== 'run') throw new Error(`unexpected command ${command.kind}`);
const app = await startApp(command.flags, createLogger({ level: 'error' }));
measuredChild();
process.send?.({ cmd: 'ready', port: app.port });
