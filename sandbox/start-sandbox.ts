import { randomBytes } from 'node:crypto';
import { createAppServer } from './apps/app-server.js';
import { createGitHubApp } from './github/github-app.js';
import { type ListeningServer, listen } from './http/listen.js';
import { SANDBOX_OWNER, SANDBOX_REPO, SandboxState } from './sandbox-state.js';

export { SandboxState } from './sandbox-state.js';

export interface SandboxOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** 0 or undefined picks a free port. */
  githubPort?: number;
  stagingPort?: number;
  productionPort?: number;
  /** Default: a random 'sandbox_' + 32 hex digits. */
  token?: string;
}

export interface Sandbox {
  /** Octokit's `baseUrl`, e.g. http://127.0.0.1:PORT (no trailing slash). */
  githubApiUrl: string;
  stagingUrl: string;
  productionUrl: string;
  /** The only token the GitHub stand-in accepts. */
  token: string;
  /** 'sandbox-org/scheduler'. */
  repository: string;
  /** `${githubApiUrl}/_sandbox`, the steering API documented in sandbox/README.md. */
  controlUrl: string;
  /** In-process access to the same operations as the control API. */
  state: SandboxState;
  close(): Promise<void>;
}

/** Starts the GitHub REST stand-in and the staging and production apps. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? `sandbox_${randomBytes(16).toString('hex')}`;
  const servers: ListeningServer[] = [];
  const closeServers = () => Promise.all(servers.map((server) => server.close())).then(() => undefined);
  try {
    for (const port of [options.githubPort, options.stagingPort, options.productionPort]) {
      servers.push(await listen(host, port ?? 0));
    }
  } catch (error) {
    await closeServers();
    throw error;
  }
  const [github, staging, production] = servers;
  if (!github || !staging || !production) throw new Error('the sandbox needs three servers');

  const state = new SandboxState({ githubApiUrl: github.url, stagingUrl: staging.url, productionUrl: production.url });
  const shutdown = new AbortController();
  github.server.on('request', createGitHubApp({ state, token, shutdown: shutdown.signal }));
  staging.server.on('request', createAppServer(state, 'staging'));
  production.server.on('request', createAppServer(state, 'production'));

  let closing: Promise<void> | undefined;
  return {
    githubApiUrl: github.url,
    stagingUrl: staging.url,
    productionUrl: production.url,
    token,
    repository: `${SANDBOX_OWNER}/${SANDBOX_REPO}`,
    controlUrl: `${github.url}/_sandbox`,
    state,
    close() {
      closing ??= (async () => {
        shutdown.abort();
        state.close();
        await closeServers();
      })();
      return closing;
    },
  };
}
