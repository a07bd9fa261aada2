/**
 * How long a test waits for an event (a deployment's end, a state, a request in flight, a process's start line)
 * before calling it lost. A ceiling, not a budget: every wait ends as soon as its event happens, within seconds on an
 * idle machine; the ceiling only has to hold on a machine kept busy by something else, and only a stuck test pays it.
 */
export const EVENT_CEILING_MS = 300_000;

/** `work`, or a failure naming `what` when it has not settled within the ceiling: something that must end never did. */
export async function withinCeiling<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const ceiling = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not end within ${EVENT_CEILING_MS / 1000} s`)),
      EVENT_CEILING_MS,
    );
  });
  try {
    return await Promise.race([work, ceiling]);
  } finally {
    clearTimeout(timer);
  }
}
