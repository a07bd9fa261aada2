// What `npm start` leaves in its data folder for a gateway started beside it from the same checkout (the stdio
// gateway, run by a desktop MCP client): where its Temporal listens, the payload key it made, the audit log and the
// approval tokens it uses. Nothing here exists in an image or on a machine where `npm start` never ran.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Env, setVariablesOnly } from '../domain/config.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SETTINGS_FILE = 'local-stack.env';

/** The variables `npm start` hands on; anything else stays the caller's business. */
const SHARED_VARIABLES = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_TASK_QUEUE',
  'DEPLOYMENT_AUDIT_LOG',
  'DEPLOYMENT_ADMIN_TOKENS',
  'PAYLOAD_CODEC_KEY_FILE',
] as const;

/** `npm start`'s data folder: DEPLOYMENT_DATA_DIR, else `.data` in the project. */
export function localDataDir(env: Env): string {
  return env.DEPLOYMENT_DATA_DIR || join(PROJECT_ROOT, '.data');
}

export function localStackSettingsPath(env: Env): string {
  return join(localDataDir(env), SETTINGS_FILE);
}

/** Written by `npm start` once its stack runs; owner-only, since it may hold the approval tokens. */
export async function writeLocalStackSettings(env: Env): Promise<string> {
  const set = setVariablesOnly(env);
  const lines = SHARED_VARIABLES.filter((name) => set[name] !== undefined).map((name) => `${name}=${set[name]}`);
  const path = localStackSettingsPath(env);
  const header = '# Written by `npm start` for a gateway started beside it (the stdio gateway). Variables set win.';
  await writeFile(path, `${header}\n${lines.join('\n')}\n`, { mode: 0o600 });
  return path;
}

/**
 * Fills in, from what `npm start` left, every shared variable `env` does not set, and says which (names only).
 * Returns null when there is nothing to read.
 */
export async function adoptLocalStackSettings(env: Record<string, string | undefined>): Promise<string | null> {
  const path = localStackSettingsPath(env);
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  const adopted: string[] = [];
  for (const line of text.split('\n')) {
    const match = line.match(/^([A-Z_][A-Z0-9_]*)=(.*)$/);
    const [, name, value] = match ?? [];
    if (!name || value === undefined || !(SHARED_VARIABLES as readonly string[]).includes(name) || env[name]) continue;
    env[name] = value;
    adopted.push(name);
  }
  return adopted.length > 0 ? `${adopted.join(', ')} from ${path} (written by npm start; set them to override)` : null;
}
