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
  /** Where it deploys now: a status may move it to another environment. */
  environment: string;
  originalEnvironment: string;
  description: string | null;
  /** As given: GitHub keeps a string payload a string. */
  payload: Record<string, unknown> | string;
  creator: Account;
  createdAt: Date;
  updatedAt: Date;
  productionEnvironment: boolean;
  transientEnvironment: boolean;
  /** Oldest first; the API lists them newest first. */
  statuses: DeploymentStatusRecord[];
}

export type NewDeployment = Omit<DeploymentRecord, 'id' | 'updatedAt' | 'statuses' | 'originalEnvironment'>;
export type NewDeploymentStatus = Omit<DeploymentStatusRecord, 'id'>;

/** Deployments and their status history. Creation is shared by the seed and the write endpoints. */
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
      originalEnvironment: deployment.environment,
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

  /**
   * GitHub's `auto_inactive`: once `current` succeeds, every other deployment to its environment whose latest
   * status is `success` gets an `inactive` status. GitHub does this for non-production environments only (its docs:
   * "prior non-transient, non-production environment deployments"), so production keeps every success it had.
   */
  deactivateOthers(current: DeploymentRecord, creator: Account, at: Date): DeploymentRecord[] {
    if (current.productionEnvironment) return [];
    const live = this.#deployments.filter(
      (deployment) =>
        deployment !== current &&
        deployment.environment === current.environment &&
        deployment.statuses.at(-1)?.state === 'success',
    );
    for (const deployment of live) {
      this.addStatus(deployment, {
        state: 'inactive',
        description: '',
        environmentUrl: deployment.statuses.at(-1)?.environmentUrl ?? '',
        logUrl: '',
        creator,
        createdAt: at,
      });
    }
    return live;
  }
}
