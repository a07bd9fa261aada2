/**
 * The deployment card's HTML: one self-contained document (styles, the ext-apps App library and the view's code
 * inline) that a host renders beside get_deployment_status's or get_deployment_metrics's result. It draws the result
 * the host hands it and, while a deployment is still running, asks the host to call get_deployment_status again
 * (callServerTool) every few seconds, redrawing without a reload.
 */
export function deploymentCardPage(appSideBundle: string, refreshMs: number): string {
  // A bundle may hold "</script>"-like text in strings; escaping "</" keeps the inline script whole.
  // The view's code in its own block: its names must not collide with the bundle's minified top-level ones.
  const script = `${appSideBundle}\n{${VIEW_SCRIPT.replaceAll('__REFRESH_MS__', String(refreshMs))}}`.replaceAll(
    '</',
    '<\\/',
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Deployment</title>
<style>
body{font:14px system-ui,sans-serif;margin:0;padding:12px;color:#1b1f24;background:#fff}
h1{font-size:16px;margin:0 0 6px}
.muted{color:#57606a}.mono{font-family:ui-monospace,monospace}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;background:#ddf4ff;font-weight:600}
.badge.success,.badge.healthy,.badge.passed{background:#dafbe1}.badge.failure,.badge.unhealthy,.badge.failed{background:#ffebe9}
.badge.degraded,.badge.warning,.badge.awaiting_approval{background:#fff8c5}
table{border-collapse:collapse;margin-top:8px;width:100%}td,th{text-align:left;padding:3px 6px;border-bottom:1px solid #d0d7de}
.keys{display:grid;grid-template-columns:repeat(2,1fr);gap:8px}.key{border:1px solid #d0d7de;border-radius:6px;padding:8px}
.key .value{font-size:18px;font-weight:600}[role=alert]{color:#cf222e}
</style></head>
<body><main id="card"><p class="muted">Waiting for the tool result…</p></main><p role="alert" id="error" hidden></p>
<script type="module">${script}</script>
</body></html>`;
}

const VIEW_SCRIPT = `
const RUNNING = ['queued', 'awaiting_approval', 'in_progress', 'baking'];
const card = document.getElementById('card');
const errorLine = document.getElementById('error');
const app = new McpApps.App({ name: 'deployment-card', version: '0.1.0' });
let timer;

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, value);
  for (const child of children) node.append(child ?? '');
  return node;
}
const badge = (value, cls) => el('span', { class: 'badge ' + value + (cls ? ' ' + cls : '') }, value);
const duration = (seconds) =>
  seconds === null ? '—' : seconds < 3600 ? Math.round(seconds / 60) + ' min' : (seconds / 3600).toFixed(1) + ' h';

function drawDeployment(result) {
  const d = result.deployment;
  const header = el('h1', {}, d.kind + ' of ' + (d.version ?? '(previous version)') + ' to ' + d.environment + ' ');
  header.append(badge(d.status, 'status'));
  const facts = el('table', { class: 'facts' });
  const row = (name, value, cls) => facts.append(el('tr', {}, el('th', {}, name), el('td', { class: cls ?? '' }, value)));
  row('step', d.current_step ?? '—', 'step');
  row('version', d.version ?? '—', 'version mono');
  row('git ref', d.git_ref ?? '—', 'mono');
  if (d.rollback_of) row('rolls back', d.rollback_of, 'mono');
  row('started', d.initiated_at + ' by ' + d.initiated_by);
  if (d.failure_reason) row('failure', d.failure_reason);
  const health = el('p', { class: 'health' }, 'health ', badge(d.health_status));
  for (const [probe, status] of Object.entries(result.health_checks)) health.append(' ', el('span', { class: 'muted' }, probe + ': '), status);
  const checks = el('table', { class: 'checks' }, el('tr', {}, el('th', {}, 'check'), el('th', {}, 'status'), el('th', {}, 'message')));
  for (const check of result.checks)
    checks.append(el('tr', {}, el('td', {}, check.check_name), el('td', {}, badge(check.status)), el('td', {}, check.message)));
  const id = el('p', { class: 'muted mono' }, d.deployment_id);
  card.replaceChildren(header, id, facts, health, checks);
  card.dataset.deploymentId = d.deployment_id;
  card.dataset.status = d.status;
}

function drawMetrics(result) {
  const now = result.current;
  const keys = el('div', { class: 'keys' });
  const key = (name, label, value, band, trend) =>
    keys.append(el('div', { class: 'key', 'data-key': name }, el('div', { class: 'muted' }, label),
      el('div', { class: 'value' }, value), band ? badge(band) : '', el('span', { class: 'muted' }, ' trend: ' + (trend ?? '—'))));
  key('deployment_frequency', 'Deployment frequency', now.deployment_frequency.per_day.toFixed(2) + ' / day',
    now.deployment_frequency.band, result.trend.deployment_frequency);
  key('lead_time_for_changes', 'Lead time for changes (median)', duration(now.lead_time_for_changes.median_seconds),
    now.lead_time_for_changes.band, result.trend.lead_time_for_changes);
  key('change_failure_rate', 'Change failure rate', now.change_failure_rate.rate === null ? '—' : Math.round(now.change_failure_rate.rate * 100) + ' %',
    now.change_failure_rate.band, result.trend.change_failure_rate);
  key('failed_deployment_recovery_time', 'Failed deployment recovery time (median)',
    duration(now.failed_deployment_recovery_time.median_seconds), now.failed_deployment_recovery_time.band,
    result.trend.failed_deployment_recovery_time);
  card.replaceChildren(el('h1', {}, 'Delivery metrics: ' + result.environment + ', last ' + result.window_days + ' days'), keys,
    el('p', { class: 'muted' }, result.bands_source));
}

function draw(result) {
  if (!result || typeof result !== 'object') return;
  errorLine.hidden = true;
  clearTimeout(timer);
  if (result.deployment) {
    drawDeployment(result);
    if (RUNNING.includes(result.deployment.status)) {
      const call = { name: 'get_deployment_status', arguments: { deployment_id: result.deployment.deployment_id } };
      timer = setTimeout(() => refresh(call), __REFRESH_MS__);
    }
  } else if (result.current) drawMetrics(result);
}

async function refresh(call) {
  try {
    const result = await app.callServerTool(call);
    if (result.isError) throw new Error(result.content?.[0]?.text ?? 'the status tool failed');
    draw(result.structuredContent);
  } catch (error) {
    errorLine.textContent = 'Could not refresh: ' + (error?.message ?? error);
    errorLine.hidden = false;
    timer = setTimeout(() => refresh(call), __REFRESH_MS__ * 2);
  }
}

app.ontoolresult = (result) => draw(result.structuredContent);
await app.connect();
`;
