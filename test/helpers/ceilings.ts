/**
 * How long a test waits for an event (a deployment's end, a state, a request in flight, a process's start line)
 * before calling it lost. A ceiling, not a budget: every wait ends as soon as its event happens, within seconds on an
 * idle machine; the ceiling only has to hold on a machine kept busy by something else, and only a stuck test pays it.
 */
export const EVENT_CEILING_MS = 300_000;
