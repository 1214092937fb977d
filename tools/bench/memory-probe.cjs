// Preloaded by `tools/bench/run.sh --profile` into the instance whose idle-connection memory is
// measured (node --expose-gc --require): on SIGUSR2 it runs a full GC and appends
// process.memoryUsage() as one JSON line to $MEMORY_PROBE_OUT, so the load generator
// (`connections --gc-probe FILE`) can tell live memory per socket from garbage not yet collected.
'use strict';
const fs = require('node:fs');

const out = process.env.MEMORY_PROBE_OUT;
if (out) {
  process.on('SIGUSR2', () => {
    if (typeof global.gc === 'function') {
      global.gc();
      global.gc();
    }
    const m = process.memoryUsage();
    fs.appendFileSync(out, JSON.stringify({ at: Date.now(), gc: typeof global.gc === 'function', ...m }) + '\n');
  });
}
