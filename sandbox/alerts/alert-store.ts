import type { components } from '@octokit/openapi-types';

export type DependabotAlert = components['schemas']['dependabot-alert'];
export type CodeScanningAlert = components['schemas']['code-scanning-alert-items'];
export type SecretScanningAlert = components['schemas']['secret-scanning-alert'];

export interface SecurityFeatures {
  dependabot_alerts: boolean;
  code_scanning: boolean;
  secret_scanning: boolean;
}

type AlertKind = 'dependabot' | 'codeScanning' | 'secretScanning';

/** The repository's security alerts, stored in GitHub's payload shape, and which scanners are enabled. */
export class AlertStore {
  readonly features: SecurityFeatures = { dependabot_alerts: true, code_scanning: true, secret_scanning: true };
  readonly dependabot: DependabotAlert[] = [];
  readonly codeScanning: CodeScanningAlert[] = [];
  readonly secretScanning: SecretScanningAlert[] = [];
  // Each scanner numbers its alerts on its own and never reuses a number, even after a clear.
  readonly #lastNumber: Record<AlertKind, number> = { dependabot: 0, codeScanning: 0, secretScanning: 0 };

  nextNumber(kind: AlertKind): number {
    this.#lastNumber[kind] += 1;
    return this.#lastNumber[kind];
  }

  clear(): void {
    this.dependabot.length = 0;
    this.codeScanning.length = 0;
    this.secretScanning.length = 0;
  }
}
