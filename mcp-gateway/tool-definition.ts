import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@temporalio/client';
import type { z } from 'zod';
import type { AuditLog } from '../activities/audit/audit-log.js';
import type { ApprovalPolicy, CallerIdentity } from '../domain/caller-identity.js';
import type { GatewayConfig } from '../domain/config.js';
import type { EnvironmentHealth } from './environment-health.js';

export interface ProgressSteps {
  completed: number;
  total: number;
}

/** What a tool handler may use: the Temporal client and how to report progress to the caller. */
export interface ToolContext {
  temporal: Client;
  config: GatewayConfig;
  /** For requests the gateway refuses before any workflow exists (an invalid token); workflows audit the rest. */
  audit: AuditLog;
  /** The environments' health for status reads, shared by every connection of this gateway process. */
  health: EnvironmentHealth;
  /** `steps`, where the number of steps is known, becomes the notification's `total`. */
  reportProgress(message: string, steps?: ProgressSteps): Promise<void>;
  signal: AbortSignal;
  /** Who called, as the HTTP gateway's OAuth check verified it; null on stdio and without an identity provider. */
  caller: CallerIdentity | null;
  /** How promotions this caller starts may be approved; undefined without an identity provider. */
  approvalPolicy: ApprovalPolicy | undefined;
}

export interface ToolDefinition<Input extends z.ZodType, Output extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  inputSchema: Input;
  outputSchema: Output;
  annotations: Required<Pick<ToolAnnotations, 'readOnlyHint' | 'destructiveHint' | 'idempotentHint' | 'openWorldHint'>>;
  /** MCP Apps hosts render the deployment card (mcp-gateway/apps/) beside this tool's result. */
  showsDeploymentCard?: boolean;
  handler(input: z.output<Input>, context: ToolContext): Promise<z.infer<Output>>;
}

/** Lets a list hold tools of different schemas while each definition stays checked against its own. */
export function defineTool<Input extends z.ZodType, Output extends z.ZodObject>(
  tool: ToolDefinition<Input, Output>,
): ToolDefinition<z.ZodType, z.ZodObject> {
  return tool as unknown as ToolDefinition<z.ZodType, z.ZodObject>;
}
