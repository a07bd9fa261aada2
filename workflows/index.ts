// The workflow bundle's entry: every workflow the worker runs, and nothing with I/O.
export { deliveryLedger } from './delivery-ledger.js';
export { deployment } from './deployment.js';
export { environmentLock } from './environment-lock.js';
export { planDeployment } from './plan-deployment.js';
export { readCommitTimes } from './read-commit-times.js';
export { runSecurityScan } from './run-security-scan.js';
export { runSmokeTests } from './run-smoke-tests.js';
export { validateDeployment } from './validate-deployment.js';
