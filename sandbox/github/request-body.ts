import express, { type RequestHandler } from 'express';
import type { z } from 'zod';
import { REST_DOCS, sendGitHubError } from './errors.js';

/** Reads and parses a JSON body once (a later parse sees it done); a bad body is left for `jsonBody` to refuse. */
export const parseJson = express.json({ limit: '1mb' });

/** Parses a JSON body, answering GitHub's 400 when it is not JSON (express would answer an HTML 400). */
export const jsonBody: RequestHandler = (req, res, next) => {
  parseJson(req, res, (error?: unknown) => {
    if (error) sendGitHubError(res, 400, 'Problems parsing JSON', REST_DOCS);
    else next();
  });
};

export type BodyCheck<T> = { ok: true; body: T } | { ok: false; status: 400 | 422; message: string };

/**
 * Validates a request body against the endpoint's parameters and words the first problem as GitHub's schema
 * validation does (`Invalid request.\n\n"ref" wasn't supplied.`). Schemas are strict: an unknown key is an error.
 */
export function checkBody<T>(schema: z.ZodType<T>, body: unknown): BodyCheck<T> {
  const value = body ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, status: 400, message: 'Body should be a JSON object' };
  }
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return { ok: true, body: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, status: 422, message: `Invalid request.\n\n${issue ? describe(issue) : 'Invalid input.'}` };
}

function describe(issue: z.core.$ZodIssue): string {
  const property = `'properties/${issue.path.join('/')}'`;
  const given = JSON.stringify(issue.input);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => `"${key}" is not a permitted key.`).join('\n');
    case 'invalid_type':
      if (issue.input === undefined) return `"${issue.path.join('/')}" wasn't supplied.`;
      return `For ${property}, ${given} is not ${article(issue.expected === 'record' ? 'object' : issue.expected)}.`;
    case 'invalid_value':
      return `For ${property}, ${given} is not one of: ${issue.values.map(String).join(', ')}.`;
    case 'invalid_union':
      return `For ${property}, ${given} is not a valid value.`;
    default:
      return `For ${property}, ${given} is invalid: ${issue.message}.`;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
