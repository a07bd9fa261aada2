import type { Request } from 'express';

/** A query parameter's first value, as GitHub ignores repeats. */
export function queryParam(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** Comma-separated filter values (`?state=open,fixed`), or undefined when the filter is absent. */
export function queryList(req: Request, name: string): string[] | undefined {
  const value = queryParam(req, name);
  return value === undefined || value === '' ? undefined : value.split(',').map((item) => item.trim().toLowerCase());
}

export function queryRecord(req: Request): Record<string, string> {
  const record: Record<string, string> = {};
  for (const name of Object.keys(req.query)) {
    const value = queryParam(req, name);
    if (value !== undefined) record[name] = value;
  }
  return record;
}

/**
 * A route parameter that may span several path segments: a `*name` wildcard yields the segments
 * (`refs/heads/main` sent unencoded), a `:name` parameter the decoded string (`refs%2Fheads%2Fmain`).
 */
export function pathParam(req: Request, name: string): string {
  const value: unknown = req.params[name];
  if (Array.isArray(value)) return value.join('/');
  return typeof value === 'string' ? value : '';
}

/** The request path with escapes undone (`git/ref/heads%2Fmain` → `git/ref/heads/main`), for logs and fault matching. */
export function decodedPath(req: Request): string {
  try {
    return decodeURIComponent(req.path);
  } catch {
    return req.path;
  }
}
