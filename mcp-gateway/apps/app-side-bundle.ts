import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The MCP Apps View-side library (`App`), as one script to inline in a view: ext-apps ships it with its
 * dependencies bundled (app-with-deps), ending in an ES `export {...}` statement. A view is a single HTML document
 * (hosts load it into a sandboxed iframe without a network or a module loader), so the export statement becomes a
 * local `const McpApps = {...}` that the view's own code, appended in the same module script, reads.
 */
export async function appSideBundle(): Promise<string> {
  const path = fileURLToPath(import.meta.resolve('@modelcontextprotocol/ext-apps/app-with-deps'));
  return exportsAsConstant(await readFile(path, 'utf8'), 'McpApps');
}

/** Rewrites a bundle's final `export{a as B,c}` into `const name = {B: a, c: c};`. */
export function exportsAsConstant(bundle: string, name: string): string {
  const match = /export\s*\{([^}]*)\}\s*;?\s*(\/\/#\s*sourceMappingURL=\S*\s*)?$/.exec(bundle);
  if (!match?.[1]) throw new Error('the ext-apps App bundle no longer ends in one export statement');
  const entries = match[1]
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const [local, exported = local] = item.split(/\s+as\s+/);
      return `${JSON.stringify(exported)}: ${local}`;
    });
  return `${bundle.slice(0, match.index)}\nconst ${name} = {${entries.join(', ')}};\n`;
}
