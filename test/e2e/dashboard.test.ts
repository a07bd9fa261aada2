// End to end in a browser: headless Chromium (Debian's, driven by playwright-core) opens /dashboard on the real stack
// (dev server, worker, sandbox, gateway over HTTP with a bearer token), signs in with the token, sees the live
// version per environment and the four keys, and sees a running promotion's step change without a reload.
// Screenshots go to DASHBOARD_SCREENSHOTS_DIR when it is set (to keep them), else to a fresh temporary folder.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ensureChromium } from '../../scripts/chromium.js';
import { EVENT_CEILING_MS } from '../helpers/ceilings.js';
import { errorText, type McpStack, startMcpStack } from '../helpers/mcp-stack.js';
import { steer } from '../helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';
import { screenshotsFolder } from '../helpers/screenshots-folder.js';

const AUTH_TOKEN = 'dashboard-test-token-0123456789abcdef0123456789';
const browserAvailable = await ensureChromium();
if ('missing' in browserAvailable)
  console.log(`dashboard browser test skipped: this machine lacks ${browserAvailable.missing}`);

describe('the dashboard in headless Chromium', { skip: 'missing' in browserAvailable }, () => {
  let stack: McpStack;
  let browser: Browser;
  let page: Page;
  let screens: string;
  const dashboardUrl = () => stack.gateway.url.replace(/\/mcp$/, '/dashboard');

  before(async () => {
    stack = await startMcpStack({ MCP_AUTH_TOKEN: AUTH_TOKEN });
    await steer(stack.harness.sandbox, 'POST', '/reset');
    await steer(stack.harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 50, run_ms: 300 });
    const first = await stack.call('promote_to_production', {
      staging_version: 'v1.1.0',
      approval_token: TEST_ADMIN_TOKEN,
      skip_smoke_tests: true,
    });
    assert.equal(first.isError, undefined, errorText(first));
    await stack.harness.env.client.workflow
      .getHandle((first.structuredContent as { deployment_id: string }).deployment_id)
      .result();
    screens = await screenshotsFolder('dashboard-screens-');
    browser = await chromium.launch({
      executablePath: (browserAvailable as { path: string }).path,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  });
  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('asks for the token, then shows the live version per environment and the four keys', async () => {
    await page.goto(dashboardUrl());
    assert.match(page.url(), /\/dashboard\/login$/);
    await page.fill('input[name=token]', 'not the token');
    await page.click('button[type=submit]');
    await page.waitForSelector('[role=alert]');
    await page.fill('input[name=token]', AUTH_TOKEN);
    await page.click('button[type=submit]');
    const production = page.locator('[data-env=production] .version');
    await production.filter({ hasText: 'v1.1.0' }).waitFor({ timeout: EVENT_CEILING_MS });
    assert.equal(await page.locator('[data-env=staging]').count(), 1);
    for (const key of [
      'deployment_frequency',
      'lead_time_for_changes',
      'change_failure_rate',
      'failed_deployment_recovery_time',
    ]) {
      assert.equal(await page.locator(`[data-key=${key}] .value`).count(), 1, key);
    }
    assert.match((await page.locator('[data-key=deployment_frequency] .value').textContent()) ?? '', /\/ day \(1\)/);
    assert.equal((await page.locator('.chart canvas').count()) >= 4, true);
    await page.screenshot({ path: join(screens, 'dashboard-live-versions-and-keys.png'), fullPage: true });
  });

  it('follows a running promotion from waiting for approval to its next steps without a reload', async () => {
    await steer(stack.harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 2000, run_ms: 6000 });
    const promotion = await stack.call('promote_to_production', { staging_version: 'v1.2.0', skip_smoke_tests: true });
    assert.equal(promotion.isError, undefined, errorText(promotion));
    const { deployment_id } = promotion.structuredContent as { deployment_id: string };
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    const status = page.locator('[data-env=production] .running .status');
    await status.filter({ hasText: 'awaiting_approval' }).waitFor({ timeout: EVENT_CEILING_MS });
    assert.match((await page.locator('[data-env=production] .approval code').textContent()) ?? '', /--name approve/);
    const waitingStep = (await page.locator('[data-env=production] .running .step').textContent()) ?? '';
    await page.screenshot({ path: join(screens, 'dashboard-awaiting-approval.png'), fullPage: true });
    const approved = await stack.call('approve_deployment', { deployment_id, approval_token: TEST_ADMIN_TOKEN });
    assert.equal(approved.isError, undefined, errorText(approved));
    await status.filter({ hasText: 'in_progress' }).waitFor({ timeout: EVENT_CEILING_MS });
    const step = page.locator('[data-env=production] .running .step');
    await page.waitForFunction(
      ([selector, before]) => {
        const now = document.querySelector(selector as string)?.textContent;
        return Boolean(now) && now !== before;
      },
      ['[data-env=production] .running .step', waitingStep],
      { timeout: EVENT_CEILING_MS },
    );
    const runningStep = (await step.textContent()) ?? '';
    await page.screenshot({ path: join(screens, 'dashboard-running-step.png'), fullPage: true });
    await page
      .locator('[data-env=production] .version')
      .filter({ hasText: 'v1.2.0' })
      .waitFor({ timeout: EVENT_CEILING_MS });
    await page.screenshot({ path: join(screens, 'dashboard-after-promotion.png'), fullPage: true });
    assert.notEqual(runningStep, waitingStep);
    assert.equal(navigations, 0, 'the page never reloaded');
    const link = await page.locator(`[data-deployment="${deployment_id}"] a`).getAttribute('href');
    assert.match(link ?? '', new RegExp(`/namespaces/default/workflows/${deployment_id}$`));
  });
});
