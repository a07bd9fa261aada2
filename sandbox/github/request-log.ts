export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** null while the request is unanswered (delayed, hanging, or dropped by the client). */
  status: number | null;
  at: string;
}

/** Every GitHub API request the sandbox received, so tests can assert which calls were (not) made. */
export class RequestLog {
  readonly #entries: LoggedRequest[] = [];

  record({ method, path, query, at }: Omit<LoggedRequest, 'status'>): LoggedRequest {
    const logged: LoggedRequest = { method, path, query, status: null, at };
    this.#entries.push(logged);
    return logged;
  }

  list(): LoggedRequest[] {
    return this.#entries.map((entry) => ({ ...entry, query: { ...entry.query } }));
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
