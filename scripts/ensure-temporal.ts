// Run before `npm start` and `npm test`: makes sure a real Temporal CLI and test server are on this machine.
import { ensureTemporalBinaries } from './temporal-binaries.js';

const binaries = await ensureTemporalBinaries();
console.error(`temporal CLI: ${binaries.cli ?? 'not found (the SDK will try to download it)'}`);
console.error(`temporal test server: ${binaries.testServer ?? 'not found (the SDK will try to download it)'}`);
