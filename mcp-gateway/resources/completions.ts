import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CompleteRequestSchema } from '@modelcontextprotocol/sdk/types.js';

export type Completer = (value: string) => string[] | Promise<string[]>;
/** Per resource template URI, per variable, what completes it. */
export type Completers = Record<string, Record<string, Completer>>;

/** MCP caps a completion answer at 100 values. */
const MAX_VALUES = 100;

/**
 * Answers `completion/complete` for the resource templates' variables, and with an empty list for any other
 * reference: the gateway has no prompts, and an empty answer is what clients (and the MCP conformance suite) can use,
 * where the SDK's own handler would fail the request. Replaces that handler, so it is called after the templates
 * are registered (which declared the `completions` capability).
 */
export function answerCompletions(server: McpServer, completers: Completers): void {
  server.server.setRequestHandler(CompleteRequestSchema, async (request) => {
    const { ref, argument } = request.params;
    const complete = ref.type === 'ref/resource' ? completers[ref.uri]?.[argument.name] : undefined;
    const values = complete ? await complete(argument.value) : [];
    return {
      completion: {
        values: values.slice(0, MAX_VALUES),
        total: values.length,
        hasMore: values.length > MAX_VALUES,
      },
    };
  });
}
