/** One CI signal on a commit, from a check run or a commit status, reduced to what a deployment cares about. */
export interface CiSignal {
  name: string;
  source: 'check_run' | 'status';
  state: 'success' | 'failure' | 'pending';
  detail: string;
}

const GOOD_CONCLUSIONS = new Set(['success', 'neutral', 'skipped']);

export function checkRunState(status: string, conclusion: string | null): CiSignal['state'] {
  if (status !== 'completed') return 'pending';
  return conclusion !== null && GOOD_CONCLUSIONS.has(conclusion) ? 'success' : 'failure';
}

export function commitStatusState(state: string): CiSignal['state'] {
  if (state === 'success') return 'success';
  return state === 'pending' ? 'pending' : 'failure';
}

export function names(signals: readonly CiSignal[]): string {
  return signals.map((signal) => `${signal.name} (${signal.detail})`).join(', ');
}
