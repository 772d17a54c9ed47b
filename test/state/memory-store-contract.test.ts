/**
 * Core's in-process `MemoryStore` passes the same `Store` contract suite as the Redis store
 * (test/support/store-contract.ts), taken through core's public exports.
 */
import { MemoryStore } from '@switchboard/core';
import { describeStoreContract } from '../support/store-contract.ts';

describeStoreContract('MemoryStore', (clock) => new MemoryStore({ now: clock.now, sweepIntervalMs: false }));
