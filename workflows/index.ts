// The workflow bundle's entry: every workflow the worker runs, and nothing with I/O.
export { runSecurityScan } from './run-security-scan.js';
export { runSmokeTests } from './run-smoke-tests.js';
export { validateDeployment } from './validate-deployment.js';
