import { centrifugoAdapter } from './centrifugo-adapter';
import { ProtocolAdapter, ProtocolName } from './protocol';
import { socketIoAdapter } from './socketio-adapter';

const ADAPTERS: Record<ProtocolName, ProtocolAdapter> = { socketio: socketIoAdapter, centrifugo: centrifugoAdapter };

export function adapterFor(name: ProtocolName): ProtocolAdapter {
  return ADAPTERS[name];
}
