// Fault injection between the collector and a real store: the store's client with an insert that,
// on command, is refused, slow, times out, or lands but reports a timeout (the lost-ack case that
// only deduplication tokens make safe). Everything else goes to the real client untouched.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Store } from '../../src/index.ts';

export type Fault =
  | { type: 'none' }
  | { type: 'refuse' }
  | { type: 'slow'; delayMs: number }
  | { type: 'timeout'; afterMs: number }
  | { type: 'lost-ack'; afterMs: number };

export interface FaultyStore {
  store: Store;
  fault: Fault;
  /** Inserts attempted and how many actually reached the real store. */
  attempts: number;
  landed: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function faultyStore(real: Store): FaultyStore {
  const state: FaultyStore = { store: real, fault: { type: 'none' }, attempts: 0, landed: 0 };
  const insert: ClickHouseClient['insert'] = async (params) => {
    state.attempts++;
    const fault = state.fault;
    switch (fault.type) {
      case 'none':
        break;
      case 'refuse':
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123 (injected)'), {
          code: 'ECONNREFUSED',
        });
      case 'slow':
        await sleep(fault.delayMs);
        break;
      case 'timeout':
        await sleep(fault.afterMs);
        throw new Error('Timeout error (injected)');
      case 'lost-ack': {
        const result = await real.client.insert(params);
        state.landed++;
        await sleep(fault.afterMs);
        void result;
        throw new Error('socket hang up after the insert (injected)');
      }
      default: {
        const unreachable: never = fault;
        throw new Error(`unknown fault ${JSON.stringify(unreachable)}`);
      }
    }
    const result = await real.client.insert(params);
    state.landed++;
    return result;
  };
  const client = new Proxy(real.client, {
    get(target, key, receiver) {
      if (key === 'insert') return insert;
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  state.store = { ...real, client };
  return state;
}
