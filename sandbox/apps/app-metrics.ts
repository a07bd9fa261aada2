import type { Express, Request, Response } from 'express';
import type { AppEnvironment } from '../control/control-inputs.js';
import type { SandboxState } from '../sandbox-state.js';

/**
 * The app's Prometheus metrics and the user traffic they count. Every answer the app gives (but `/metrics` itself) is
 * counted in `http_requests_total{environment, version, path, status}`, the counter most web frameworks' exporters
 * keep, served at `/metrics` in Prometheus' text exposition format (0.0.4). `/api/schedule` stands for the service's
 * user traffic: it answers 500 for the share of requests the control API sets (`POST /_sandbox/apps/:env/error-rate`),
 * spread evenly (every 1/ratio-th request), so a steered rate shows in Prometheus exactly. During a canary
 * (app-instance.ts) `/api/schedule` is split between the stable and the canary version by the canary's weight,
 * deterministically (of every 100 requests, exactly `weight` go to the canary, spread evenly); each version answers
 * with its own error rate and counts under its own `version` label.
 */
export function attachAppMetrics(app: Express, state: SandboxState, environment: AppEnvironment): void {
  const counts = new Map<string, number>();
  const errorDebt = { stable: 0, canary: 0 };
  let scheduled = 0;

  app.use((req: Request, res: Response, next) => {
    if (req.path === '/metrics') {
      next();
      return;
    }
    const stableVersion = state.world.apps[environment].version;
    res.once('finish', () => {
      // The version that answered: the canary's when /api/schedule routed the request to it.
      const version = typeof res.locals.servedBy === 'string' ? res.locals.servedBy : stableVersion;
      const key = `environment="${environment}",version="${labelValue(version)}",path="${labelValue(req.path)}",status="${res.statusCode}"`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    });
    next();
  });

  app.get('/metrics', (_req, res) => {
    const lines = [
      '# HELP http_requests_total Requests the scheduler API answered, by path and status.',
      '# TYPE http_requests_total counter',
      ...[...counts].map(([labels, count]) => `http_requests_total{${labels}} ${count}`),
    ];
    res.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });

  app.get('/api/schedule', (_req, res) => {
    const instance = state.world.apps[environment];
    const { canary } = instance;
    // Request n goes to the canary when floor(n * weight / 100) steps up: `weight` of every 100, evenly spread.
    const toCanary =
      canary !== undefined &&
      Math.floor(((scheduled + 1) * canary.weight) / 100) > Math.floor((scheduled * canary.weight) / 100);
    scheduled = (scheduled + 1) % 100;
    const served = toCanary ? 'canary' : 'stable';
    const version = toCanary ? canary.version : instance.version;
    res.locals.servedBy = version;
    errorDebt[served] += (toCanary ? instance.canaryErrorRatio : instance.errorRatio) ?? 0;
    if (errorDebt[served] >= 1) {
      errorDebt[served] -= 1;
      res.status(500).json({ detail: 'Internal Server Error' });
      return;
    }
    res.json({ version, assignments: [] });
  });
}

/** A label value in the exposition format: backslash, quote and newline escaped. */
function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
