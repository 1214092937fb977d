// Preloaded into a gateway by `tools/bench/run.sh --profile` (node --require): counts the Kafka
// requests the process writes, by API, and writes them as JSON at exit to $KAFKA_REQUESTS_OUT.
// A CPU profile cannot say which request a socket write belongs to (the stack ends at an async
// boundary); this can. Kafka's request header starts with int32 size, int16 api_key.
'use strict';
const net = require('node:net');
const fs = require('node:fs');

const API = { 0: 'Produce', 1: 'Fetch', 2: 'ListOffsets', 3: 'Metadata', 8: 'OffsetCommit', 9: 'OffsetFetch', 10: 'FindCoordinator', 11: 'JoinGroup', 12: 'Heartbeat', 13: 'LeaveGroup', 14: 'SyncGroup', 18: 'ApiVersions', 19: 'CreateTopics', 22: 'InitProducerId' };
const ports = new Set((process.env.KAFKA_REQUESTS_PORTS || '9092').split(',').map(Number));
const counts = {};
const bytes = {};
const write = net.Socket.prototype.write;
net.Socket.prototype.write = function (chunk, ...rest) {
  if (ports.has(this.remotePort) && Buffer.isBuffer(chunk) && chunk.length >= 6) {
    const api = API[chunk.readInt16BE(4)] || `api${chunk.readInt16BE(4)}`;
    counts[api] = (counts[api] || 0) + 1;
    bytes[api] = (bytes[api] || 0) + chunk.length;
  }
  return write.call(this, chunk, ...rest);
};
const started = Date.now();
process.on('exit', () => {
  const out = process.env.KAFKA_REQUESTS_OUT;
  if (!out) return;
  fs.writeFileSync(out, JSON.stringify({ pid: process.pid, seconds: (Date.now() - started) / 1000, requests: counts, bytes }, null, 2) + '\n');
});
