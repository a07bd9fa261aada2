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
