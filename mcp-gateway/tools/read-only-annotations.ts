/** validate, scan and smoke only read GitHub and the environments; repeating them changes nothing. */
export const READ_ONLY_TOOL = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
} as const;
