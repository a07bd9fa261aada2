import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';

export const REST_DOCS = 'https://docs.github.com/rest';

/** GitHub's error body: `{ message, documentation_url, status }` (status as a string, as GitHub sends it). */
export function sendGitHubError(res: Response, status: number, message?: string, documentationUrl = REST_DOCS): void {
  res.status(status).json({
    message: message ?? defaultMessage(status),
    documentation_url: documentationUrl,
    status: String(status),
  });
}

export function sendNotFound(res: Response, documentationUrl: string): void {
  sendGitHubError(res, 404, 'Not Found', documentationUrl);
}

// What GitHub says when it gives no more specific reason (403: a token without the permission the endpoint needs).
const GITHUB_MESSAGES: Record<number, string> = {
  401: 'Bad credentials',
  403: 'Resource not accessible by personal access token',
  500: 'Server Error',
};

function defaultMessage(status: number): string {
  return GITHUB_MESSAGES[status] ?? STATUS_CODES[status] ?? 'Error';
}
