import type { AppComponent, AppEnvironment, ComponentMode } from '../control/control-inputs.js';

/** What one deployed environment runs and how each of its components behaves. */
export interface AppInstance {
  environment: AppEnvironment;
  version: string;
  sha: string;
  components: Record<AppComponent, ComponentMode>;
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
