import type { Account } from '../github/payloads/users.js';
import type { IdSequence } from '../ids.js';

export type DeploymentState = 'error' | 'failure' | 'inactive' | 'pending' | 'success' | 'queued' | 'in_progress';

export interface DeploymentStatusRecord {
  id: number;
  state: DeploymentState;
  description: string;
  environmentUrl: string;
  logUrl: string;
  creator: Account;
  createdAt: Date;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  payload: Record<string, unknown>;
  creator: Account;
  createdAt: Date;
  updatedAt: Date;
  productionEnvironment: boolean;
  /** Oldest first; the API lists them newest first. */
  statuses: DeploymentStatusRecord[];
}

export type NewDeployment = Omit<DeploymentRecord, 'id' | 'updatedAt' | 'statuses'>;
export type NewDeploymentStatus = Omit<DeploymentStatusRecord, 'id'>;

/** Deployments and their status history. Creation is shared by the seed and, later, the write endpoints. */
export class DeploymentStore {
  readonly #deployments: DeploymentRecord[] = [];

  constructor(private readonly ids: IdSequence) {}

  /** Newest first, as GitHub lists them. */
  list(): DeploymentRecord[] {
    return [...this.#deployments].reverse();
  }

  get(id: number): DeploymentRecord | undefined {
    return this.#deployments.find((deployment) => deployment.id === id);
  }

  create(deployment: NewDeployment): DeploymentRecord {
    const record: DeploymentRecord = {
      ...deployment,
      id: this.ids.next(),
      updatedAt: deployment.createdAt,
      statuses: [],
    };
    this.#deployments.push(record);
    return record;
  }

  addStatus(deployment: DeploymentRecord, status: NewDeploymentStatus): DeploymentStatusRecord {
    const record: DeploymentStatusRecord = { ...status, id: this.ids.next() };
    deployment.statuses.push(record);
    deployment.updatedAt = status.createdAt;
    return record;
  }
}
