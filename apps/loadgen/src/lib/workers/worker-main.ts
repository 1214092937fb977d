import { performance } from 'node:perf_hooks';
import { adapterFor } from '../adapters';
import { ChatEngine } from '../chat-engine';
import { SelfProbe } from '../self-probe';
import { EventRecorder } from './events';
import { FromWorker, ToWorker, WorkerSetup } from './messages';

/** How often a worker hands its events to the coordinator: the drain waits on them. */
const FLUSH_MS = 100;

/**
 * `loadgen worker`, forked by WorkerPool with an IPC channel: one share of the users, driven by
 * the coordinator's messages; every send, ack and delivery goes back as events.
 */
export async function runWorker(): Promise<number> {
  const send = process.send?.bind(process);
  if (!send) {
    process.stderr.write('loadgen worker: started without an IPC channel (only WorkerPool forks it)\n');
    return 2;
  }
  const post = (message: FromWorker) => send(message);
  let engine: ChatEngine | undefined;
  let recorder: EventRecorder | undefined;
  const flush = () => {
    const events = recorder?.take() ?? [];
    if (events.length > 0) post({ type: 'events', events });
  };
  const timer = setInterval(flush, FLUSH_MS);
  const setUp = (setup: WorkerSetup) => {
    recorder = new EventRecorder(setup.runId, setup.index, setup.count);
    const { remainingMs, protocol, index, count, ...rest } = setup;
    engine = new ChatEngine(
      { ...rest, deadline: performance.now() + remainingMs, protocol: adapterFor(protocol), partition: { index, count } },
      (line) => post({ type: 'log', line }),
      recorder,
      () => post({ type: 'disconnect' }),
    );
  };

  return new Promise<number>((resolve) => {
    const handle = async (message: ToWorker) => {
      if (message.type === 'setup') {
        setUp(message.setup);
        post({ type: 'ready' });
        return;
      }
      if (!engine) throw new Error(`worker: ${message.type} before setup`);
      if (message.type === 'connect') {
        const stats = await engine.connect();
        const { attempted, connected, failed, errors, wallMs } = stats;
        post({ type: 'connected', attempted, connected, failed, errors, wallMs, latency: stats.latency.encode() });
      } else if (message.type === 'join') {
        const failures = await engine.joinAll();
        post({ type: 'joined', failures, latency: engine.joinLatency.encode() });
      } else if (message.type === 'send') {
        const probe = new SelfProbe();
        const outcome = await engine.send(message.ratePerSec, message.durationMs, message.plan, message.startAt);
        const self = probe.stop();
        flush();
        post({ type: 'sent', ...outcome, self });
      } else if (message.type === 'close') {
        engine.close();
        flush();
        clearInterval(timer);
        post({ type: 'closed' });
        process.off('message', onMessage);
        resolve(0);
      }
    };
    const onMessage = (message: ToWorker) => {
      handle(message).catch((error: unknown) => {
        post({ type: 'log', line: `worker failed: ${(error as Error)?.stack ?? String(error)}` });
        resolve(1);
      });
    };
    process.on('message', onMessage);
    // The coordinator gone (killed, crashed): nothing to report to any more.
    process.once('disconnect', () => {
      engine?.close();
      clearInterval(timer);
      resolve(1);
    });
  });
}
