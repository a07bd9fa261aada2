/** What stands in for a secret in every log line, error message and decoded payload. */
export const REDACTED = '[REDACTED]';

// Shapes of credentials that must never be shown even when they are not one of ours: GitHub tokens of every kind,
// and whatever follows an Authorization scheme.
const CREDENTIAL_SHAPES: readonly [RegExp, string][] = [
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, REDACTED],
  [/\b(Bearer|token|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
];
// Shorter values are too likely to be ordinary words for a blind replace, and too weak to be real secrets.
const SHORTEST_REDACTED_SECRET = 6;

export type Redactor = (text: string) => string;

/** Replaces the given secrets (the product's own tokens and keys) and anything shaped like a credential. */
export function createRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const known = [
    ...new Set(secrets.filter((secret): secret is string => (secret?.length ?? 0) >= SHORTEST_REDACTED_SECRET)),
  ]
    // Longest first, so a secret that contains another is replaced whole.
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let redacted = text;
    for (const secret of known) redacted = redacted.split(secret).join(REDACTED);
    for (const [shape, replacement] of CREDENTIAL_SHAPES) redacted = redacted.replace(shape, replacement);
    return redacted;
  };
}

// The variables that hold secrets, in every process of the product. Lists are split so each entry is redacted.
const SECRET_TOKEN_VARIABLES = ['GITHUB_TOKEN', 'MCP_AUTH_TOKEN', 'TEMPORAL_API_KEY', 'CODEC_SERVER_AUTH_TOKEN'];
const SECRET_LIST_VARIABLES = ['DEPLOYMENT_ADMIN_TOKENS', 'PAYLOAD_CODEC_KEYS'];
/** Variables whose values no message may quote, not even to say what is wrong with them. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([...SECRET_TOKEN_VARIABLES, ...SECRET_LIST_VARIABLES]);

/** The secret values this process was given: tokens, and for payload keys both the `id=key` entry and the key. */
export function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  const single = SECRET_TOKEN_VARIABLES.map((name) => env[name]);
  const listed = SECRET_LIST_VARIABLES.flatMap((name) => (env[name] ?? '').split(/[\n,]/)).map((entry) => entry.trim());
  const keyParts = listed.filter((entry) => entry.includes('=')).map((entry) => entry.slice(entry.indexOf('=') + 1));
  return [...single, ...listed, ...keyParts].filter((value): value is string => Boolean(value));
}

interface WritableText {
  write(chunk: Uint8Array | string, ...rest: never[]): boolean;
}

const utf8 = new TextDecoder();

/** Makes a stream redact what is written to it: stderr, where every process of the product logs. */
export function redactWrites(stream: WritableText, redact: Redactor): void {
  const write = stream.write.bind(stream);
  stream.write = (chunk, ...rest) => write(redact(typeof chunk === 'string' ? chunk : utf8.decode(chunk)), ...rest);
}
