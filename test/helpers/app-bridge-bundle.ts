// The MCP Apps host side (ext-apps' own AppBridge and PostMessageTransport) as one browser script for the test host
// page. ext-apps ships it as an ES module importing the MCP SDK and zod, so webpack (already the workflow bundler)
// bundles it from node_modules into a temporary folder: no network.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const PROJECT_NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));

/** A classic script that puts `AppBridge` and `PostMessageTransport` on `window.McpAppsHost`. */
export async function appBridgeBrowserScript(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'app-bridge-bundle-'));
  try {
    const entry = join(folder, 'entry.mjs');
    await writeFile(
      entry,
      "import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';\n" +
        'window.McpAppsHost = { AppBridge, PostMessageTransport };\n',
    );
    const compiler = webpack({
      mode: 'production',
      target: 'web',
      devtool: false,
      entry,
      // A page script has no URL to derive chunk paths from, and the bundle has no chunks to load.
      output: { path: folder, filename: 'bridge.js', publicPath: '' },
      resolve: { modules: [PROJECT_NODE_MODULES] },
      optimization: { minimize: false },
      performance: { hints: false },
    });
    await new Promise<void>((resolve, reject) =>
      compiler.run((error, stats) => {
        compiler.close(() => undefined);
        if (error) reject(error);
        else if (stats?.hasErrors()) reject(new Error(stats.toString('errors-only')));
        else resolve();
      }),
    );
    return await readFile(join(folder, 'bridge.js'), 'utf8');
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
