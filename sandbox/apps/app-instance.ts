import type { AppComponent, AppEnvironment, ComponentMode } from '../control/control-inputs.js';

/** What one deployed environment runs and how each of its components behaves. */
export interface AppInstance {
  environment: AppEnvironment;
  version: string;
  sha: string;
  components: Record<AppComponent, ComponentMode>;
  /** Share (0-1) of user requests (`/api/schedule`) answered 500; a successful deploy resets it (app-metrics.ts). */
  errorRatio?: number;
}

export function healthyAppInstance(environment: AppEnvironment, version: string, sha: string): AppInstance {
  return {
    environment,
    version,
    sha,
    components: {
      api: 'healthy',
      database: 'healthy',
      redis: 'healthy',
      celery_worker: 'healthy',
      celery_beat: 'healthy',
    },
  };
}
