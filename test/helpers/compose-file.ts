// docker-compose.yml and deploy.env.example as `docker compose` reads them: for the static checks of the compose file
// and for the team-stack tier, which runs the same jobs and services with the environment compose would give them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../scripts/temporal-binaries.js';

const read = (path: string) => readFileSync(join(PROJECT_ROOT, path), 'utf8');

interface Healthcheck {
  test?: string[] | string;
}
export interface Service {
  image?: string;
  build?: unknown;
  entrypoint?: string[];
  command?: string[];
  container_name?: string;
  ports?: string[];
  restart?: string;
  healthcheck?: Healthcheck;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string | number | null>;
  volumes?: string[];
}
export interface ComposeFile {
  services: Record<string, Service>;
}

/** deploy.env.example as NAME -> { value, comment lines just above it }. */
export function readEnvExample(): Map<string, { value: string; comment: string }> {
  const variables = new Map<string, { value: string; comment: string }>();
  let comment: string[] = [];
  for (const line of read('deploy.env.example').split('\n')) {
    const assignment = line.match(/^([A-Z][A-Z0-9_]*)=(.*)$/);
    if (assignment?.[1] !== undefined) {
      variables.set(assignment[1], { value: assignment[2] ?? '', comment: comment.join('\n') });
      comment = [];
    } else if (line.startsWith('#')) comment.push(line);
    else comment = [];
  }
  return variables;
}

export const COMPOSE_TEXT = read('docker-compose.yml');
export const VARIABLE = /\$\{([A-Z_][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

/** Compose's interpolation (`${X}`, `${X:-default}`, `${X:?error}`), which runs before its schema validation. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(VARIABLE, (_match, name: string, operator: string | undefined, argument: string | undefined) => {
    const value = env[name];
    const unset = operator?.startsWith(':') ? !value : value === undefined;
    if (!unset) return value ?? '';
    if (operator?.endsWith('?')) throw new Error(`required variable ${name} is missing a value: ${argument}`);
    return argument ?? '';
  });
}

/** The example file with every required secret filled in, as a team would after generating them. */
export function filledExample(): Record<string, string> {
  return Object.fromEntries(
    [...readEnvExample()].map(([name, { value }]) => [name, value === '' ? `generated-${name.toLowerCase()}` : value]),
  );
}

export const loadCompose = (env: Record<string, string>): ComposeFile =>
  parse(interpolate(COMPOSE_TEXT, env), { merge: true }) as ComposeFile;
