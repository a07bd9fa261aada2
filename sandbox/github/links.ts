/**
 * Builds the URLs GitHub embeds in its payloads. The sandbox serves the REST API at the root of its
 * origin (as `baseUrl` for Octokit) and pretends the web UI lives at the same origin, as on GitHub
 * Enterprise where both share one host.
 */
export class GitHubLinks {
  constructor(
    readonly apiUrl: string,
    readonly owner: string,
    readonly repo: string,
  ) {}

  get fullName(): string {
    return `${this.owner}/${this.repo}`;
  }

  /** `${apiUrl}/repos/{owner}/{repo}` followed by `path`. */
  api(path = ''): string {
    return `${this.apiUrl}/repos/${this.fullName}${path}`;
  }

  /** The web page of the repository followed by `path`. */
  html(path = ''): string {
    return `${this.apiUrl}/${this.fullName}${path}`;
  }

  userApi(login: string): string {
    return `${this.apiUrl}/users/${encodeURIComponent(login)}`;
  }

  userHtml(login: string): string {
    return `${this.apiUrl}/${encodeURIComponent(login)}`;
  }

  avatar(id: number): string {
    return `${this.apiUrl}/avatars/u/${id}?v=4`;
  }

  contents(path: string, ref: string): string {
    return this.api(`/contents/${encodePath(path)}?ref=${encodeURIComponent(ref)}`);
  }

  blobHtml(ref: string, path: string): string {
    return this.html(`/blob/${ref}/${encodePath(path)}`);
  }

  raw(ref: string, path: string): string {
    return this.html(`/raw/${ref}/${encodePath(path)}`);
  }
}

export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
