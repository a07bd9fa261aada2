/** Tools that change what an environment runs: never safe to repeat blindly, and they reach GitHub. */
export const DEPLOYING_TOOL = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
} as const;

/** Ending a deployment that waits for approval changes nothing deployed; asking twice ends it once. */
export const REJECTING_TOOL = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

/** The deploying tools' idempotency key, told to every caller that may lose a connection mid-call. */
export const REQUEST_ID_HELP =
  ' request_id (optional, 8-64 of A-Z a-z 0-9 _ -) makes the call idempotent: the deployment id is derived from it, ' +
  'so a call retried after a lost connection returns the deployment the first one started (running or finished) ' +
  'instead of starting another.';
