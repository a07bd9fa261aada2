import type { EnvironmentInput } from '../control/control-inputs.js';
import type { IdSequence } from '../ids.js';

export interface Dated {
  createdAt: Date;
  updatedAt: Date;
}

export interface EnvironmentRecord extends Dated {
  id: number;
  name: string;
  /** Secret names only: GitHub never returns secret values. */
  secrets: Map<string, Dated>;
  variables: Map<string, Dated & { value: string }>;
}

/** Deployment environments with their secrets and variables. */
export class EnvironmentStore {
  readonly #environments = new Map<string, EnvironmentRecord>();

  constructor(private readonly ids: IdSequence) {}

  list(): EnvironmentRecord[] {
    return [...this.#environments.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  // Environment names are case-insensitive on GitHub.
  get(name: string): EnvironmentRecord | undefined {
    return this.#environments.get(name.toLowerCase());
  }

  /** Creates the environment or replaces its secrets and variables, keeping the dates of entries that stay. */
  put(name: string, input: EnvironmentInput, at: Date): EnvironmentRecord {
    const existing = this.get(name);
    const environment: EnvironmentRecord = existing ?? {
      id: this.ids.next(),
      name,
      createdAt: at,
      updatedAt: at,
      secrets: new Map(),
      variables: new Map(),
    };
    environment.updatedAt = at;
    // GitHub stores secret and variable names upper-cased.
    const secrets = new Map<string, Dated>();
    for (const secretName of input.secrets.map((secret) => secret.toUpperCase())) {
      secrets.set(secretName, environment.secrets.get(secretName) ?? { createdAt: at, updatedAt: at });
    }
    const variables = new Map<string, Dated & { value: string }>();
    for (const [variableName, value] of Object.entries(input.variables)) {
      const key = variableName.toUpperCase();
      const previous = environment.variables.get(key);
      variables.set(key, {
        value,
        createdAt: previous?.createdAt ?? at,
        updatedAt: previous && previous.value === value ? previous.updatedAt : at,
      });
    }
    environment.secrets = secrets;
    environment.variables = variables;
    this.#environments.set(name.toLowerCase(), environment);
    return environment;
  }

  delete(name: string): boolean {
    return this.#environments.delete(name.toLowerCase());
  }
}
