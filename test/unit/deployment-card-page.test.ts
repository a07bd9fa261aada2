// The deployment card's page: the ext-apps App bundle inlined as a local constant, with nothing left to load.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { appSideBundle, exportsAsConstant } from '../../mcp-gateway/apps/app-side-bundle.js';
import { deploymentCardPage } from '../../mcp-gateway/apps/deployment-card-page.js';

it("turns a bundle's export statement into a local constant", () => {
  assert.equal(
    exportsAsConstant('var a=1,c=2;export{a as B,c};\n//# sourceMappingURL=x.js.map\n', 'Lib'),
    'var a=1,c=2;\nconst Lib = {"B": a, "c": c};\n',
  );
  assert.throws(() => exportsAsConstant('var a=1;', 'Lib'), /no longer ends in one export statement/);
});

it('inlines the installed App library and keeps no export or import in the page', async () => {
  const page = deploymentCardPage(await appSideBundle(), 1500);
  assert.match(page, /const McpApps = \{[^}]*"App": /);
  assert.doesNotMatch(page, /export\s*\{|<script[^>]+src=/);
  assert.match(page, /setTimeout\(\(\) => refresh\(call\), 1500\)/);
  // One script element: nothing in the inlined code closes it early.
  assert.equal(page.split('</script>').length, 2);
});
