import type { Workflow } from '@temporalio/workflow';
import { z } from 'zod';
import type { WorkflowKind } from '../domain/search-attributes.js';
import type { WorkflowType } from '../workflows/workflow-types.js';
import { runWorkflow } from './run-workflow.js';
import { defineTool, type ToolDefinition } from './tool-definition.js';

export interface WorkflowToolSpec<Input extends z.ZodType, Result extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  inputSchema: Input;
  resultSchema: Result;
  annotations: ToolDefinition<Input, Result>['annotations'];
  /** The workflow's registered name: the gateway never loads workflow code itself. */
  workflowType: WorkflowType;
  kind: WorkflowKind;
  /** What the Web UI can filter this run by. */
  searchAttributes(input: z.output<Input>): { environment?: string; version?: string };
}

/**
 * A tool that is one workflow run: its result, plus the workflow id to find it in the Web UI. Curried so a call site
 * names the workflow's type and the schemas' types are inferred: `workflowTool<typeof validateDeployment>()({...})`.
 */
export const workflowTool =
  <W extends Workflow>() =>
  <Input extends z.ZodType, Result extends z.ZodObject>(spec: WorkflowToolSpec<Input, Result>) =>
    defineTool({
      name: spec.name,
      title: spec.title,
      description: spec.description,
      inputSchema: spec.inputSchema,
      outputSchema: spec.resultSchema.extend({ workflow_id: z.string() }),
      annotations: spec.annotations,
      async handler(input, context) {
        const { result, workflowId } = await runWorkflow<W>(
          {
            workflowType: spec.workflowType,
            kind: spec.kind,
            args: [input] as Parameters<W>,
            ...spec.searchAttributes(input),
          },
          context,
        );
        return { ...(result as z.infer<Result>), workflow_id: workflowId };
      },
    });
