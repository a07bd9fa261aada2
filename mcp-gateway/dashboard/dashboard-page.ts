/**
 * The dashboard's one page: plain HTML and a script with no build step; charts by uPlot, served from node_modules by
 * the gateway (no CDN). It reads /dashboard/api/overview every two seconds and updates in place, so a running
 * deployment's step changes without a reload. Every value goes in through textContent, never as HTML.
 */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Deployments</title>
<link rel="stylesheet" href="/dashboard/vendor/uPlot.min.css">
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d2430; background: #f6f7f9; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.row { display: flex; gap: 1rem; flex-wrap: wrap; }
.card { background: #fff; border: 1px solid #d8dde6; border-radius: 8px; padding: .8rem 1rem; min-width: 20rem; flex: 1; }
.muted { color: #5b6676; font-size: .85rem; } .mono { font-family: ui-monospace, monospace; font-size: .85rem; }
.healthy { color: #0a7d32; } .unhealthy { color: #b00020; }
.band-elite, .band-high { color: #0a7d32; } .band-medium { color: #a15c00; } .band-low { color: #b00020; }
table { border-collapse: collapse; width: 100%; background: #fff; } td, th { border-bottom: 1px solid #e4e7ec; padding: .3rem .5rem; text-align: left; font-size: .9rem; }
.key { font-size: 1.3rem; font-weight: 600; }
code { background: #eef1f5; padding: .1rem .3rem; border-radius: 4px; word-break: break-all; }
</style></head>
<body>
<h1>Deployments <span class="muted" id="updated"></span></h1>
<div class="row" id="environments"></div>
<h2>The four keys, production, last <span id="window"></span> days</h2>
<div class="row" id="keys"></div>
<div class="row" id="charts"></div>
<h2>Recent deployments and rollbacks</h2>
<table><thead><tr><th>started</th><th>environment</th><th>kind</th><th>version</th><th>status</th><th>deployment</th></tr></thead><tbody id="timeline"></tbody></table>
<script src="/dashboard/vendor/uPlot.iife.min.js"></script>
<script>
const el = (tag, attrs = {}, text) => { const node = document.createElement(tag); for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v); if (text !== undefined) node.textContent = text; return node; };
const link = (href, text) => { const a = el('a', { href, target: '_blank', rel: 'noopener' }, text); return a; };
const when = (iso) => iso ? new Date(iso).toLocaleString() : '—';
const span = (seconds) => seconds === null ? '—' : seconds < 120 ? seconds + ' s' : seconds < 7200 ? Math.round(seconds / 60) + ' min' : seconds < 172800 ? (seconds / 3600).toFixed(1) + ' h' : (seconds / 86400).toFixed(1) + ' d';
function environmentCard(env) {
  const card = el('div', { class: 'card', 'data-env': env.environment });
  card.append(el('h2', {}, env.environment));
  const live = el('div'); live.append(el('span', { class: 'key version' }, env.version ?? '(nothing recorded)'), el('span', { class: 'muted' }, '  commit '), el('span', { class: 'mono commit' }, (env.commit ?? '').slice(0, 7)));
  const reported = env.reported.error ? 'version endpoint: ' + env.reported.error : 'the environment reports ' + (env.reported.version ?? '?') + ' (' + (env.reported.sha ?? '').slice(0, 7) + ')';
  card.append(live, el('div', { class: 'muted' }, 'live since ' + when(env.live_since)), el('div', { class: 'muted reported' }, reported));
  card.append(el('div', { class: 'health ' + env.health_status }, 'health: ' + env.health_status));
  const running = el('div', { class: 'running' });
  if (env.running) {
    running.append(el('strong', {}, env.running.kind + ' of ' + (env.running.version ?? '(previous version)') + ': '), el('span', { class: 'status' }, env.running.status), el('br'));
    running.append(el('span', { class: 'step' }, env.running.current_step), el('br'), link(env.running.web_ui_url, env.running.deployment_id + ' in the Temporal Web UI'));
    if (env.running.approve_command) {
      const approval = el('div', { class: 'approval' });
      approval.append(el('div', {}, 'Waiting for approval: call approve_deployment, or run'), el('code', {}, env.running.approve_command));
      running.append(approval);
    }
  } else running.append(el('span', { class: 'muted step' }, 'no deployment running'));
  card.append(running);
  return card;
}
const KEYS = [
  ['deployment_frequency', 'Deployment frequency', (m) => m.per_day + ' / day (' + m.successful_deployments + ')'],
  ['lead_time_for_changes', 'Lead time for changes', (m) => 'median ' + span(m.median_seconds) + ', p90 ' + span(m.p90_seconds)],
  ['change_failure_rate', 'Change failure rate', (m) => m.rate === null ? '—' : Math.round(m.rate * 100) + '% (' + m.failed_deployments + '/' + m.dispatched_deployments + ')'],
  ['failed_deployment_recovery_time', 'Failed deployment recovery time', (m) => 'median ' + span(m.median_seconds)],
];
const SERIES = [['deployments', 'deployments per day'], ['lead_time_median_hours', 'lead time, median (h)'], ['change_failure_rate', 'change failure rate'], ['recovery_median_minutes', 'recovery, median (min)']];
const charts = [];
function render(data) {
  document.getElementById('updated').textContent = 'updated ' + new Date(data.retrieved_at).toLocaleTimeString();
  document.getElementById('window').textContent = data.window_days;
  document.getElementById('environments').replaceChildren(...data.environments.map(environmentCard));
  const production = data.environments.find((env) => env.environment === 'production');
  document.getElementById('keys').replaceChildren(...KEYS.map(([key, title, show]) => {
    const metric = production.metrics.current[key];
    const card = el('div', { class: 'card', 'data-key': key });
    card.append(el('div', { class: 'muted' }, title), el('div', { class: 'key value' }, show(metric)));
    card.append(el('div', { class: 'band band-' + (metric.band ?? 'none') }, 'DORA band: ' + (metric.band ?? 'no data') + '; trend: ' + (production.metrics.trend[key] ?? '—')));
    return card;
  }));
  const xs = production.series.map((bucket) => Date.parse(bucket.start) / 1000);
  SERIES.forEach(([field, label], index) => {
    const ys = production.series.map((bucket) => bucket[field]);
    if (!charts[index]) {
      const holder = el('div', { class: 'card chart', 'data-chart': field });
      document.getElementById('charts').append(holder);
      charts[index] = new uPlot({ title: label, width: 420, height: 180, series: [{}, { label, stroke: '#2457c5', spanGaps: true, points: { show: true } }] }, [xs, ys], holder);
    } else charts[index].setData([xs, ys]);
  });
  document.getElementById('timeline').replaceChildren(...data.timeline.map((deployment) => {
    const row = el('tr', { 'data-deployment': deployment.deployment_id });
    for (const text of [when(deployment.initiated_at), deployment.environment, deployment.kind, deployment.version ?? '', deployment.status]) row.append(el('td', {}, text));
    const cell = el('td'); cell.append(link(deployment.web_ui_url, deployment.deployment_id)); row.append(cell);
    return row;
  }));
}
async function refresh() {
  try {
    const response = await fetch('/dashboard/api/overview', { credentials: 'same-origin' });
    if (response.status === 401) { location.href = '/dashboard/login'; return; }
    if (response.ok) render(await response.json());
  } finally { setTimeout(refresh, 2000); }
}
refresh();
</script></body></html>`;
