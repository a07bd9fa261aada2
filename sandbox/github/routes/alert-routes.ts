import { Router } from 'express';
import { codeScanningRef } from '../../alerts/code-scanning-alerts.js';
import type { SandboxState } from '../../sandbox-state.js';
import { sendGitHubError } from '../errors.js';
import { paginate } from '../pagination.js';
import { queryList, queryParam } from '../request-params.js';

const DEPENDABOT_DOCS = 'https://docs.github.com/rest/dependabot/alerts#list-dependabot-alerts-for-a-repository';
const CODE_SCANNING_DOCS =
  'https://docs.github.com/rest/code-scanning/code-scanning#list-code-scanning-alerts-for-a-repository';
const SECRET_SCANNING_DOCS =
  'https://docs.github.com/rest/secret-scanning/secret-scanning#list-secret-scanning-alerts-for-a-repository';

/** True when the filter is absent or lists the value (GitHub's comma-separated filters). */
function allows(filter: string[] | undefined, value: string | null | undefined): boolean {
  return filter === undefined || (value != null && filter.includes(value.toLowerCase()));
}

export function alertRoutes(state: SandboxState): Router {
  const router = Router();
  const { links } = state;

  router.get('/dependabot/alerts', (req, res) => {
    const { alerts } = state.world;
    if (!alerts.features.dependabot_alerts) {
      sendGitHubError(res, 403, 'Dependabot alerts are disabled for this repository.', DEPENDABOT_DOCS);
      return;
    }
    const [states, severities, ecosystems, packages] = ['state', 'severity', 'ecosystem', 'package'].map((name) =>
      queryList(req, name),
    );
    const matching = alerts.dependabot
      .filter(
        (alert) =>
          allows(states, alert.state) &&
          allows(severities, alert.security_advisory.severity) &&
          allows(ecosystems, alert.dependency.package?.ecosystem) &&
          allows(packages, alert.dependency.package?.name),
      )
      .reverse();
    res.json(paginate(req, res, links.apiUrl, matching));
  });

  router.get('/code-scanning/alerts', (req, res) => {
    const { alerts, repository } = state.world;
    if (!alerts.features.code_scanning) {
      sendGitHubError(res, 404, 'no analysis found', CODE_SCANNING_DOCS);
      return;
    }
    const ref = codeScanningRef(queryParam(req, 'ref') ?? repository.defaultBranch);
    const states = queryList(req, 'state');
    const severities = queryList(req, 'severity');
    const tools = queryList(req, 'tool_name');
    const matching = alerts.codeScanning
      .filter(
        (alert) =>
          alert.most_recent_instance.ref === ref &&
          allows(states, alert.state) &&
          allows(tools, alert.tool.name) &&
          // One filter covers both scales: `note`…`error` and the security levels `low`…`critical`.
          (allows(severities, alert.rule.severity) || allows(severities, alert.rule.security_severity_level)),
      )
      .reverse();
    res.json(paginate(req, res, links.apiUrl, matching));
  });

  router.get('/secret-scanning/alerts', (req, res) => {
    const { alerts } = state.world;
    if (!alerts.features.secret_scanning) {
      sendGitHubError(res, 404, 'Secret scanning is disabled on this repository.', SECRET_SCANNING_DOCS);
      return;
    }
    const states = queryList(req, 'state');
    const types = queryList(req, 'secret_type');
    const matching = alerts.secretScanning
      .filter((alert) => allows(states, alert.state) && allows(types, alert.secret_type))
      .reverse();
    res.json(paginate(req, res, links.apiUrl, matching));
  });

  return router;
}
