/** A steering request the sandbox cannot carry out; `status` is what the control API answers. */
export class SandboxInputError extends Error {
  constructor(
    readonly status: 404 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxInputError';
  }
}
