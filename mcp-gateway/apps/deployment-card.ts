import { RESOURCE_MIME_TYPE, RESOURCE_URI_META_KEY } from '@modelcontextprotocol/ext-apps/server';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { appSideBundle } from './app-side-bundle.js';
import { deploymentCardPage } from './deployment-card-page.js';

export const DEPLOYMENT_CARD_URI = 'ui://deploy-orchestrator/deployment-card.html';

/** How often the card asks for a running deployment's status again: the status tool is cheap to poll. */
const CARD_REFRESH_MS = 2000;

/**
 * What a tool showing the card carries in `_meta`: the MCP Apps spec's `ui.resourceUri`, and the flat
 * `ui/resourceUri` key older hosts read. Hosts without MCP Apps ignore `_meta`; the result itself is unchanged.
 */
export const DEPLOYMENT_CARD_TOOL_META = {
  ui: { resourceUri: DEPLOYMENT_CARD_URI },
  [RESOURCE_URI_META_KEY]: DEPLOYMENT_CARD_URI,
};

// Read and rewritten once per gateway process, on the first read of the card.
let page: Promise<string> | undefined;

/** The card as a `ui://` resource with the MCP Apps HTML mime type. */
export function registerDeploymentCard(server: McpServer): void {
  server.registerResource(
    'deployment-card',
    DEPLOYMENT_CARD_URI,
    {
      title: 'Deployment card',
      description:
        'An MCP Apps view of get_deployment_status (step, checks, versions, health; it refreshes itself while the ' +
        'deployment runs) and of get_deployment_metrics (the four keys).',
      mimeType: RESOURCE_MIME_TYPE,
    },
    async (uri) => {
      page ??= appSideBundle().then((bundle) => deploymentCardPage(bundle, CARD_REFRESH_MS));
      return { contents: [{ uri: uri.href, mimeType: RESOURCE_MIME_TYPE, text: await page }] };
    },
  );
}
