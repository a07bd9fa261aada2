import type { Request, Response } from 'express';
import { queryParam } from './request-params.js';

export interface PageLimits {
  defaultPerPage: number;
  maxPerPage: number;
}

const STANDARD_LIMITS: PageLimits = { defaultPerPage: 30, maxPerPage: 100 };

/**
 * Returns the requested page of `items` and sets GitHub's `Link` header (prev, next, last, first) with
 * absolute URLs on `apiUrl`, so `octokit.paginate` can follow it.
 */
export function paginate<T>(
  req: Request,
  res: Response,
  apiUrl: string,
  items: readonly T[],
  limits: PageLimits = STANDARD_LIMITS,
): T[] {
  const perPage = clamp(positiveInteger(queryParam(req, 'per_page')) ?? limits.defaultPerPage, 1, limits.maxPerPage);
  const page = positiveInteger(queryParam(req, 'page')) ?? 1;
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const pageUrl = (target: number): string => {
    const url = new URL(`${apiUrl}${req.originalUrl}`);
    url.searchParams.set('page', String(target));
    return url.toString();
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${pageUrl(Math.min(page - 1, lastPage))}>; rel="prev"`);
  if (page < lastPage) links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(lastPage)}>; rel="last"`);
  if (page > 1) links.push(`<${pageUrl(1)}>; rel="first"`);
  if (links.length > 0) res.setHeader('link', links.join(', '));
  return items.slice((page - 1) * perPage, page * perPage);
}

function positiveInteger(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number.parseInt(value, 10);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
