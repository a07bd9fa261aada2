import express, { type ErrorRequestHandler, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { SandboxState } from '../sandbox-state.js';
import {
  actionsFeaturesInput,
  actionsOutcomeInput,
  actionsTimingInput,
  appComponent,
  appEnvironment,
  appErrorRateInput,
  appVersionInput,
  checksInput,
  codeScanningAlertInput,
  commitInput,
  componentModeInput,
  dependabotAlertInput,
  environmentInput,
  faultInput,
  featuresInput,
  largeRepositoryInput,
  latencyInput,
  secretScanningAlertInput,
  statusesInput,
  tagInput,
  treeLimitInput,
} from './control-inputs.js';
import { SandboxInputError } from './sandbox-input-error.js';

/** Parses the JSON body (an absent body counts as `{}`) or throws a 400 the error handler reports. */
function body<T>(schema: z.ZodType<T>, req: Request): T {
  const parsed = schema.safeParse(req.body ?? {});
  if (!parsed.success) throw new InvalidBody(z.prettifyError(parsed.error));
  return parsed.data;
}

function param<T>(schema: z.ZodType<T>, req: Request, name: string): T {
  const parsed = schema.safeParse(req.params[name]);
  if (!parsed.success) throw new SandboxInputError(404, `Unknown ${name}: ${String(req.params[name])}`);
  return parsed.data;
}

class InvalidBody extends Error {}

function ok(res: Response, result: unknown = { ok: true }): void {
  res.json(result);
}

/** The steering API documented in sandbox/README.md. JSON in and out, no authentication. */
export function controlRoutes(state: SandboxState): Router {
  const router = Router();
  // Generous limit: steered commits may carry whole files.
  router.use(express.json({ limit: '10mb' }));

  router.post('/reset', (_req, res) => {
    state.reset();
    ok(res);
  });

  router.post('/commits', (req, res) => ok(res, state.addCommit(body(commitInput, req))));
  router.post('/large-repository', (req, res) => ok(res, state.addLargeRepository(body(largeRepositoryInput, req))));
  router.put('/git/tree-limit', (req, res) => {
    state.world.repository.recursiveTreeLimit = body(treeLimitInput, req).entries;
    ok(res);
  });
  router.post('/tags', (req, res) => ok(res, state.addTag(body(tagInput, req))));
  router.post('/checks', (req, res) => ok(res, state.setChecks(body(checksInput, req))));
  router.post('/statuses', (req, res) => ok(res, state.setStatuses(body(statusesInput, req))));

  router.post('/alerts/dependabot', (req, res) => ok(res, state.addDependabotAlert(body(dependabotAlertInput, req))));
  router.post('/alerts/code-scanning', (req, res) =>
    ok(res, state.addCodeScanningAlert(body(codeScanningAlertInput, req))),
  );
  router.post('/alerts/secret-scanning', (req, res) =>
    ok(res, state.addSecretScanningAlert(body(secretScanningAlertInput, req))),
  );
  router.delete('/alerts', (_req, res) => {
    state.clearAlerts();
    ok(res);
  });
  router.post('/features', (req, res) => ok(res, state.setFeatures(body(featuresInput, req))));

  router.put('/environments/:name', (req, res) => {
    state.putEnvironment(req.params.name, body(environmentInput, req));
    ok(res);
  });
  router.delete('/environments/:name', (req, res) => {
    state.deleteEnvironment(req.params.name);
    ok(res);
  });

  router.post('/faults', (req, res) => ok(res, state.addFault(body(faultInput, req))));
  router.delete('/faults', (_req, res) => {
    state.clearFaults();
    ok(res);
  });
  router.post('/latency', (req, res) => {
    state.setLatency(body(latencyInput, req).delay_ms);
    ok(res);
  });

  router.get('/requests', (_req, res) => ok(res, state.requests()));
  router.delete('/requests', (_req, res) => {
    state.clearRequests();
    ok(res);
  });

  router.post('/apps/:environment/components/:component', (req, res) => {
    const { mode } = body(componentModeInput, req);
    state.setAppComponent(param(appEnvironment, req, 'environment'), param(appComponent, req, 'component'), mode);
    ok(res);
  });
  router.post('/apps/:environment/error-rate', (req, res) => {
    const { ratio, instance } = body(appErrorRateInput, req);
    const app = state.world.apps[param(appEnvironment, req, 'environment')];
    if (instance === 'canary') app.canaryErrorRatio = ratio;
    else app.errorRatio = ratio;
    ok(res, { ratio, instance });
  });
  router.post('/apps/:environment/version', (req, res) => {
    ok(res, state.setAppVersion(param(appEnvironment, req, 'environment'), body(appVersionInput, req)));
  });

  router.put('/actions/timing', (req, res) => ok(res, state.setActionsTiming(body(actionsTimingInput, req))));
  router.post('/actions/outcomes', (req, res) => ok(res, state.queueActionsOutcome(body(actionsOutcomeInput, req))));
  router.delete('/actions/outcomes', (_req, res) => {
    state.clearActionsOutcomes();
    ok(res);
  });
  router.put('/actions/features', (req, res) => ok(res, state.setActionsFeatures(body(actionsFeaturesInput, req))));
  router.get('/actions/runs', (_req, res) => ok(res, state.actionsRuns()));

  router.use((req, res) => {
    res.status(404).json({ message: `No control endpoint ${req.method} ${req.baseUrl}${req.path}` });
  });
  router.use(controlError);
  return router;
}

const controlError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  if (error instanceof SandboxInputError) {
    res.status(error.status).json({ message: error.message });
  } else if (error instanceof InvalidBody) {
    res.status(400).json({ message: `Invalid request body:\n${error.message}` });
  } else if (error instanceof SyntaxError) {
    // express.json() rejects a body that is not JSON.
    res.status(400).json({ message: `Request body is not JSON: ${error.message}` });
  } else {
    res.status(500).json({ message: error instanceof Error ? error.message : String(error) });
  }
};
