import express, { type Express } from 'express';
import type { AppComponent, AppEnvironment } from '../control/control-inputs.js';
import type { SandboxState } from '../sandbox-state.js';
import { attachAppMetrics } from './app-metrics.js';

const HOLD_RECHECK_MS = 20;

type Endpoint = { path: string; component: AppComponent; answer: 'service' | 'version' | 'dependency' };

// The health endpoints of the scheduler's web service; `api` stands for the service itself.
const ENDPOINTS: readonly Endpoint[] = [
  { path: '/api/health', component: 'api', answer: 'service' },
  { path: '/api/version', component: 'api', answer: 'version' },
  { path: '/api/health/db', component: 'database', answer: 'dependency' },
  { path: '/api/health/redis', component: 'redis', answer: 'dependency' },
  { path: '/api/health/celery/worker', component: 'celery_worker', answer: 'dependency' },
  { path: '/api/health/celery/beat', component: 'celery_beat', answer: 'dependency' },
];

const FAILURES: Record<AppComponent, string> = {
  api: 'worker pool exhausted: 0 of 8 workers available',
  database: 'could not connect to server: Connection refused',
  redis: 'Error 111 connecting to redis:6379. Connection refused.',
  celery_worker: 'no Celery workers replied to ping within 2s',
  celery_beat: 'beat scheduler last ran 14 minutes ago',
};

/** One deployed environment of the scheduler, answering as its components' modes dictate. */
export function createAppServer(state: SandboxState, environment: AppEnvironment): Express {
  const app = express();
  app.disable('x-powered-by');
  attachAppMetrics(app, state, environment);

  for (const { path, component, answer } of ENDPOINTS) {
    app.get(path, function respond(req, res) {
      const instance = state.world.apps[environment];
      switch (instance.components[component]) {
        case 'hold':
          // Answered once the test sets another mode, as that mode says: a step held open exactly as long as wanted.
          if (!req.socket.destroyed) setTimeout(() => respond(req, res), HOLD_RECHECK_MS);
          return;
        case 'healthy':
          if (answer === 'service') res.json({ status: 'healthy', version: instance.version, environment });
          else if (answer === 'version') res.json({ version: instance.version, sha: instance.sha, environment });
          else res.json({ status: 'healthy', component, latency_ms: 1 + Math.round(Math.random() * 12) });
          return;
        case 'unhealthy':
          res.status(503).json({ status: 'unhealthy', component, error: FAILURES[component] });
          return;
        case 'error':
          res.status(500).type('text/plain').send('Internal Server Error');
          return;
        case 'garbage':
          // What a misrouted proxy serves: a 200 that is not the JSON the endpoint promises.
          res.status(200).type('text/html').send('<html><head><title>Welcome to nginx!</title></head><body>');
          return;
        case 'refuse':
          req.socket.destroy();
          return;
        case 'hang':
          // Never answered; closing the sandbox destroys the socket.
          return;
      }
    });
  }

  // FastAPI's answer for unknown paths.
  app.use((_req, res) => {
    res.status(404).json({ detail: 'Not Found' });
  });
  return app;
}
