/** Flags shared by `gph ring show` and `gph relay test`: the ring's hash and replication. */
import { Flags } from '@oclif/core';
import { HASH_TYPES } from '../lib/carbon/relay/hash-ring.js';

export const ringFlags = {
  hash: Flags.string({ summary: 'ROUTER_HASH_TYPE: carbon_ch (carbon\'s default) or fnv1a_ch.', options: [...HASH_TYPES], default: 'carbon_ch' }),
  rf: Flags.integer({ summary: 'REPLICATION_FACTOR: destinations per metric.', default: 1, min: 1 }),
  diverse: Flags.boolean({ summary: 'DIVERSE_REPLICAS: replicas on distinct servers (carbon\'s default; --no-diverse to turn off).', default: true, allowNo: true }),
};
