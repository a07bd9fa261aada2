import type { ErrorRateGate } from '../../domain/bake-policy.js';

/** The error-rate gate's reading: the query's value (null: no traffic, nothing to judge) and why it breached. */
export interface ErrorRateReading {
  value: number | null;
  /** Set when the value is above the threshold, or when Prometheus could not answer (a gate that cannot see fails). */
  breach: string | null;
}

const QUERY_TIMEOUT_MS = 10_000;

interface PrometheusAnswer {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: { value?: [number, string] }[] | [number, string] };
}

/** The query's one number: an instant vector of one series or a scalar; NaN (0/0, no requests) reads as no value. */
function singleValue(answer: PrometheusAnswer): number | null {
  const { data } = answer;
  if (!data) throw new Error('the answer has no data');
  const raw =
    data.resultType === 'scalar'
      ? (data.result as [number, string])[1]
      : (data.result as { value?: [number, string] }[] | undefined)?.[0]?.value?.[1];
  if (data.resultType === 'vector' && Array.isArray(data.result) && data.result.length > 1) {
    throw new Error(`the query returned ${data.result.length} series; it must return one (aggregate it with sum)`);
  }
  if (raw === undefined) return null;
  const value = Number(raw);
  return Number.isFinite(value) ? value : null;
}

/** Reads one gate's query through Prometheus' HTTP API (GET /api/v1/query) and judges it against the threshold. */
export async function readErrorRate(gate: ErrorRateGate): Promise<ErrorRateReading> {
  const url = new URL(`${gate.prometheusUrl}/api/v1/query`);
  url.searchParams.set('query', gate.query);
  // fetch refuses a URL with a user and password: they travel as basic auth, as Prometheus' web config expects.
  const basic = url.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
    : null;
  url.username = '';
  url.password = '';
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
      redirect: 'manual',
      ...(basic ? { headers: { authorization: basic } } : {}),
    });
    const answer = (await response.json().catch(() => ({}))) as PrometheusAnswer;
    if (!response.ok || answer.status !== 'success') {
      throw new Error(`HTTP ${response.status}${answer.error ? `: ${answer.error}` : ''}`);
    }
    const value = singleValue(answer);
    const breach =
      value !== null && value > gate.threshold ? `error rate ${value} above the threshold ${gate.threshold}` : null;
    return { value, breach };
  } catch (error) {
    const why =
      error instanceof Error
        ? error.name === 'TimeoutError'
          ? `no answer within ${QUERY_TIMEOUT_MS} ms`
          : error.message
        : String(error);
    return { value: null, breach: `error-rate gate could not read Prometheus at ${url.host}: ${why}` };
  }
}

export function prometheusActivities() {
  return {
    /** The bake's error-rate gate, once per analysis round; a reading (or its failure) is a result, never an error. */
    queryErrorRate: readErrorRate,
  };
}
