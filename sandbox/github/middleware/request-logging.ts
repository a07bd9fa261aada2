import type { RequestHandler } from 'express';
import type { SandboxState } from '../../sandbox-state.js';
import { decodedPath, queryRecord } from '../request-params.js';

export function logRequests(state: SandboxState): RequestHandler {
  return (req, res, next) => {
    const entry = state.world.requestLog.record({
      method: req.method,
      path: decodedPath(req),
      query: queryRecord(req),
      at: new Date().toISOString(),
    });
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    next();
  };
}
