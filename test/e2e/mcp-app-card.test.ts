// End to end in a browser: the MCP Apps deployment card. A minimal host page in headless Chromium (Debian's, driven
// by playwright-core) uses ext-apps' own host side (AppBridge over PostMessageTransport) to render the card the
// gateway serves as a ui:// resource in a sandboxed iframe; the host forwards the card's callServerTool requests to a
// real MCP client connected to the real gateway (dev server, worker, sandbox). A running promotion renders and its
// step changes without a reload. Screenshots go to DASHBOARD_SCREENSHOTS_DIR when set, else to a temporary folder.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type Browser, chromium, type Frame, type Page } from 'playwright-core';
import { DEPLOYMENT_CARD_URI } from '../../mcp-gateway/apps/deployment-card.js';
import { ensureChromium } from '../../scripts/chromium.js';
import { appBridgeBrowserScript } from '../helpers/app-bridge-bundle.js';
import { EVENT_CEILING_MS } from '../helpers/ceilings.js';
import { errorText, type McpStack, startMcpStack } from '../helpers/mcp-stack.js';
import { steer } from '../helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';
import { screenshotsFolder } from '../helpers/screenshots-folder.js';

const MCP_APP_MIME_TYPE = 'text/html;profile=mcp-app';
const browserAvailable = await ensureChromium();
if ('missing' in browserAvailable)
  console.log(`MCP App card browser test skipped: this machine lacks ${browserAvailable.missing}`);

/** The host page: no network, only the bridge script; the card's HTML goes into a sandboxed iframe's srcdoc. */
const HOST_PAGE =
  '<!doctype html><html><body style="margin:0"><h1 style="font:14px sans-serif">test host</h1></body></html>';

declare global {
  interface Window {
    // Set by the bridge bundle and exposed by the test; typed loosely because they live in the browser.
    McpAppsHost: {
      AppBridge: new (client: null, host: object, capabilities: object) => Record<string, unknown>;
      PostMessageTransport: new (target: Window, source: Window) => unknown;
    };
    callGatewayTool(params: unknown): Promise<unknown>;
  }
}

describe('the MCP Apps deployment card in a headless Chromium host', { skip: 'missing' in browserAvailable }, () => {
  let stack: McpStack;
  let browser: Browser;
  let page: Page;
  let screens: string;
  let cardHtml: string;
  const forwardedCalls: string[] = [];

  /** Renders the card for one tool call in a fresh iframe, the way an MCP Apps host does, and returns its frame. */
  async function renderCard(
    id: string,
    toolArguments: Record<string, unknown>,
    result: CallToolResult,
  ): Promise<Frame> {
    await page.evaluate(
      async ({ id, html, toolArguments, result }) => {
        const iframe = document.createElement('iframe');
        iframe.id = id;
        iframe.setAttribute('sandbox', 'allow-scripts');
        iframe.style.cssText = 'width:760px;height:560px;border:1px solid #888;display:block;margin:8px';
        document.body.append(iframe);
        const { AppBridge, PostMessageTransport } = window.McpAppsHost;
        const bridge = new AppBridge(null, { name: 'test-host', version: '1.0.0' }, { serverTools: {} });
        bridge.oncalltool = (params: unknown) => window.callGatewayTool(params);
        bridge.oninitialized = async () => {
          await (bridge.sendToolInput as (p: unknown) => Promise<void>)({ arguments: toolArguments });
          await (bridge.sendToolResult as (p: unknown) => Promise<void>)(result);
        };
        const contentWindow = iframe.contentWindow as Window;
        await (bridge.connect as (t: unknown) => Promise<void>)(new PostMessageTransport(contentWindow, contentWindow));
        iframe.srcdoc = html;
      },
      { id, html: cardHtml, toolArguments, result },
    );
    const content = await (await page.waitForSelector(`iframe#${id}`)).contentFrame();
    assert.ok(content, `iframe ${id} has no frame`);
    return content;
  }

  before(async () => {
    stack = await startMcpStack();
    await steer(stack.harness.sandbox, 'POST', '/reset');
    await steer(stack.harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 2000, run_ms: 6000 });
    screens = await screenshotsFolder('mcp-app-card-screens-');
    browser = await chromium.launch({
      executablePath: (browserAvailable as { path: string }).path,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 800, height: 1250 } });
    // The host's MCP client is the test's real client over Streamable HTTP: the card's calls go through it.
    await page.exposeFunction(
      'callGatewayTool',
      async (params: { name: string; arguments?: Record<string, unknown> }) => {
        forwardedCalls.push(params.name);
        return stack.mcp.callTool(params);
      },
    );
    await page.setContent(HOST_PAGE);
    await page.addScriptTag({ content: await appBridgeBrowserScript() });
  });
  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('names the card on the status and metrics tools and serves it as self-contained MCP Apps HTML', async () => {
    const { tools } = await stack.mcp.listTools();
    for (const name of ['get_deployment_status', 'get_deployment_metrics']) {
      const tool = tools.find((candidate) => candidate.name === name);
      assert.deepEqual(tool?._meta?.ui, { resourceUri: DEPLOYMENT_CARD_URI }, name);
    }
    assert.equal(tools.find((tool) => tool.name === 'promote_to_production')?._meta, undefined);
    const read = await stack.mcp.readResource({ uri: DEPLOYMENT_CARD_URI });
    const [content] = read.contents;
    assert.equal(content?.mimeType, MCP_APP_MIME_TYPE);
    cardHtml = (content as { text: string }).text;
    assert.match(cardHtml, /^<!doctype html>/);
    // Self-contained: nothing loaded from elsewhere.
    assert.doesNotMatch(cardHtml, /<script[^>]+src=|<link[^>]+href=|https?:\/\/[^\s"'`]*\.(js|css)\b/);
    const { resources } = await stack.mcp.listResources();
    assert.ok(resources.some((resource) => resource.uri === DEPLOYMENT_CARD_URI));
  });

  it('renders a running promotion and follows its step without a reload, through callServerTool', async () => {
    const promotion = await stack.call('promote_to_production', { staging_version: 'v1.2.0', skip_smoke_tests: true });
    assert.equal(promotion.isError, undefined, errorText(promotion));
    const { deployment_id } = promotion.structuredContent as { deployment_id: string };
    const status = (await stack.call('get_deployment_status', { deployment_id })) as CallToolResult;
    assert.equal(status.isError, undefined, errorText(status));
    // Hosts without MCP Apps get the result as before: the structured content and its text copy, nothing more.
    assert.deepEqual(Object.keys(status).sort(), ['content', 'structuredContent']);
    assert.deepEqual(status.content, [{ type: 'text', text: JSON.stringify(status.structuredContent, null, 2) }]);

    const card = await renderCard('status-card', { deployment_id }, status);
    await card.locator('.status').filter({ hasText: 'awaiting_approval' }).waitFor({ timeout: EVENT_CEILING_MS });
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === card) navigations++;
    });
    assert.equal(await card.locator('.mono').filter({ hasText: deployment_id }).count(), 1);
    assert.match((await card.locator('.version').textContent()) ?? '', /v1\.2\.0/);
    assert.ok((await card.locator('.health .badge').count()) >= 1, 'health shown');
    const waitingStep = (await card.locator('.step').textContent()) ?? '';
    await page.screenshot({ path: join(screens, 'mcp-app-card-awaiting-approval.png'), fullPage: true });

    const approved = await stack.call('approve_deployment', { deployment_id, approval_token: TEST_ADMIN_TOKEN });
    assert.equal(approved.isError, undefined, errorText(approved));
    await card.waitForFunction(
      (before) => {
        const step = document.querySelector('.step')?.textContent;
        return Boolean(step) && step !== before;
      },
      waitingStep,
      { timeout: EVENT_CEILING_MS },
    );
    assert.ok((await card.locator('.checks tr').count()) > 1, 'checks shown');
    await page.screenshot({ path: join(screens, 'mcp-app-card-running-step.png'), fullPage: true });
    await card
      .locator('.status')
      .filter({ hasText: /^success$/ })
      .waitFor({ timeout: EVENT_CEILING_MS });
    await page.screenshot({ path: join(screens, 'mcp-app-card-after-promotion.png'), fullPage: true });
    assert.equal(navigations, 0, 'the card never reloaded');
    assert.ok(forwardedCalls.filter((name) => name === 'get_deployment_status').length >= 2, 'refreshed via the host');
    // A finished deployment stops polling: no call after the success was drawn.
    const callsAtEnd = forwardedCalls.length;
    await page.waitForTimeout(5000);
    assert.equal(forwardedCalls.length, callsAtEnd);
  });

  it('renders the four keys from get_deployment_metrics, whose result is unchanged for other hosts', async () => {
    const metrics = (await stack.call('get_deployment_metrics', { environment: 'production' })) as CallToolResult;
    assert.equal(metrics.isError, undefined, errorText(metrics));
    assert.deepEqual(Object.keys(metrics).sort(), ['content', 'structuredContent']);
    assert.deepEqual(metrics.content, [{ type: 'text', text: JSON.stringify(metrics.structuredContent, null, 2) }]);
    const card = await renderCard('metrics-card', { environment: 'production' }, metrics);
    for (const key of [
      'deployment_frequency',
      'lead_time_for_changes',
      'change_failure_rate',
      'failed_deployment_recovery_time',
    ]) {
      await card.locator(`[data-key=${key}] .value`).waitFor({ timeout: EVENT_CEILING_MS });
    }
    assert.match((await card.locator('[data-key=deployment_frequency] .value').textContent()) ?? '', /\/ day/);
    await page.screenshot({ path: join(screens, 'mcp-app-card-metrics.png'), fullPage: true });
  });
});
