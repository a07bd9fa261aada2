import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BakeAdjustment, BakeState } from '../domain/bake-policy.js';

/**
 * An operator's change to a running bake window: `{"action": "end_now", "reason": "...", "by": "alice"}` ends it now
 * (the deployment succeeds), `{"action": "extend", "seconds": 600, "reason": "...", "by": "alice"}` makes it longer.
 * The Update validates first (a refused one leaves no trace) and answers with the bake as it stands; the signal of
 * the same name is for the Web UI's "Send a Signal" form. Both are audited (`bake_adjusted`).
 */
export const adjustBakeUpdate = defineUpdate<BakeState, [BakeAdjustment]>('adjustBake');
export const adjustBakeSignal = defineSignal<[BakeAdjustment]>('adjustBake');
