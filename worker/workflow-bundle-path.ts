import { fileURLToPath } from 'node:url';

/** Where `npm run build` writes the workflow bundle, beside the compiled sources in dist/. */
export const WORKFLOW_BUNDLE_PATH = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));
export const WORKFLOWS_ENTRY_PATH = fileURLToPath(new URL('../workflows/index.js', import.meta.url));
