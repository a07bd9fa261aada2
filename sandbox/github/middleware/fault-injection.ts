import type { RequestHandler, Response } from 'express';
import type { FaultInput } from '../../control/control-inputs.js';
import { sleep } from '../../http/sleep.js';
import type { SandboxState } from '../../sandbox-state.js';
import { sendGitHubError } from '../errors.js';
import { rateLimitHeaders } from '../rate-limit.js';
import { parseJson } from '../request-body.js';
import { decodedPath } from '../request-params.js';
import { primaryRateLimitMessage, RATE_LIMIT_DOCS } from './authenticate.js';

const SECONDARY_RATE_LIMIT_DOCS =
  'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';
const DEFAULT_RETRY_AFTER_SECONDS = 60;

/** Applies the global latency, then the first armed fault matching the request. */
export function injectFaults(state: SandboxState, shutdown: AbortSignal): RequestHandler {
  return async (req, res, next) => {
    const { faults } = state.world;
    if (faults.latencyMs > 0 && !(await sleep(faults.latencyMs, shutdown))) return;
    const fault = faults.take(req.method, decodedPath(req));
    if (!fault) {
      next();
      return;
    }
    // Read the body before the delay, as GitHub's front end does: a client that goes away while the request is held
    // does not undo the write, it only loses the answer.
    if (fault.delay_ms) await new Promise<void>((resolve) => parseJson(req, res, () => resolve()));
    if (fault.delay_ms && !(await sleep(fault.delay_ms, shutdown))) return;
    // A hanging request is never answered; closing the sandbox destroys its socket.
    if (fault.hang) return;
    if (fault.lost_answer) {
      loseAnswer(res, fault.status ?? 502);
      next();
    } else if (fault.rate_limit) {
      sendRateLimited(res, fault);
    } else if (fault.status) {
      sendGitHubError(res, fault.status, fault.message);
    } else {
      if (fault.malformed_body) truncateJsonBody(res);
      next();
    }
  };
}

function sendRateLimited(res: Response, fault: FaultInput): void {
  const retryAfter = fault.retry_after ?? DEFAULT_RETRY_AFTER_SECONDS;
  const requestId = String(res.getHeader('x-github-request-id') ?? '');
  if (fault.rate_limit === 'primary') {
    const limit = Number(res.getHeader('x-ratelimit-limit') ?? 5000);
    res.set(
      rateLimitHeaders({
        limit,
        remaining: 0,
        reset: Math.floor(Date.now() / 1000) + retryAfter,
        used: limit,
        resource: 'core',
      }),
    );
    sendGitHubError(res, fault.status ?? 403, primaryRateLimitMessage(requestId), RATE_LIMIT_DOCS);
    return;
  }
  res.setHeader('retry-after', String(retryAfter));
  sendGitHubError(
    res,
    fault.status ?? (fault.rate_limit === 'too_many_requests' ? 429 : 403),
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
      `If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
    SECONDARY_RATE_LIMIT_DOCS,
  );
}

/** The route still runs, but its JSON arrives cut in half with a 200, like a dropped proxy stream. */
function truncateJsonBody(res: Response): void {
  res.json = (body: unknown) => {
    const text = JSON.stringify(body) ?? '';
    return res
      .status(200)
      .type('application/json')
      .send(text.slice(0, Math.ceil(text.length / 2)));
  };
}

/** The route runs and its change is made, but the client gets an error instead of the answer (a proxy dropped it). */
function loseAnswer(res: Response, status: number): void {
  const { json, end } = res;
  const fail = () => {
    res.json = json;
    res.end = end;
    sendGitHubError(res, status);
    return res;
  };
  res.json = fail as Response['json'];
  res.end = fail as Response['end'];
}
