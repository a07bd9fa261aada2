// Runs the sandbox on its own: `npm run sandbox`. Prints one JSON line with its URLs and token.
import { startSandbox } from './start-sandbox.js';

function portFromEnv(name: string): number {
  const value = process.env[name];
  const port = value ? Number(value) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`${name} must be a port number, got ${value}`);
  return port;
}

const sandbox = await startSandbox({
  githubPort: portFromEnv('SANDBOX_GITHUB_PORT'),
  stagingPort: portFromEnv('SANDBOX_STAGING_PORT'),
  productionPort: portFromEnv('SANDBOX_PRODUCTION_PORT'),
  token: process.env.SANDBOX_TOKEN || undefined,
});

process.stdout.write(
  `${JSON.stringify({
    githubApiUrl: sandbox.githubApiUrl,
    stagingUrl: sandbox.stagingUrl,
    productionUrl: sandbox.productionUrl,
    controlUrl: sandbox.controlUrl,
    repository: sandbox.repository,
    token: sandbox.token,
  })}\n`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
