import type { FaultInput } from '../control/control-inputs.js';

interface ArmedFault {
  id: string;
  spec: FaultInput;
  /** Requests it still affects; null until cleared. */
  remaining: number | null;
}

/** Injected misbehaviour of the GitHub API: per-request faults and a global latency. */
export class FaultStore {
  readonly #faults: ArmedFault[] = [];
  #lastId = 0;
  latencyMs = 0;

  add(spec: FaultInput): { id: string } {
    this.#lastId += 1;
    const id = `fault-${this.#lastId}`;
    const count = spec.count ?? 1;
    this.#faults.push({ id, spec, remaining: count === 0 ? null : count });
    return { id };
  }

  clear(): void {
    this.#faults.length = 0;
  }

  /** The first fault matching this request, consuming one of its uses. */
  take(method: string, path: string): FaultInput | undefined {
    const fault = this.#faults.find(
      ({ spec }) =>
        (spec.method === undefined || spec.method.toUpperCase() === method.toUpperCase()) &&
        (spec.match === undefined || path.includes(spec.match)),
    );
    if (!fault) return undefined;
    if (fault.remaining !== null) {
      fault.remaining -= 1;
      if (fault.remaining === 0) this.#faults.splice(this.#faults.indexOf(fault), 1);
    }
    return fault.spec;
  }
}
