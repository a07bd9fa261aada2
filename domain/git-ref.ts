import { z } from 'zod';
import { hasControlCharacters } from './control-characters.js';

const MAX_REF_LENGTH = 255;
// git check-ref-format forbids these; the shell metacharacters are refused too because a ref ends up in
// URLs, logs and Actions inputs, and no real branch or tag of a deployable service needs them.
const FORBIDDEN_CHARACTERS = /[\s~^:?*[\\;&|$`<>'"!(){}#%,]/;

/** Why `ref` is not an acceptable git ref (branch, tag or commit SHA), or null when it is. */
export function gitRefProblem(ref: string): string | null {
  if (ref.length === 0) return 'it is empty';
  if (ref.length > MAX_REF_LENGTH) return `it is longer than ${MAX_REF_LENGTH} characters`;
  if (hasControlCharacters(ref)) {
    return 'it contains control characters';
  }
  if (FORBIDDEN_CHARACTERS.test(ref)) return 'it contains spaces, shell metacharacters or characters git forbids';
  if (ref.startsWith('-')) return "it starts with '-'";
  if (ref === '@') return "it is '@'";
  if (ref.includes('..')) return "it contains '..'";
  if (ref.includes('@{')) return "it contains '@{'";
  if (ref.startsWith('/') || ref.endsWith('/') || ref.includes('//')) return "it has an empty path component ('/')";
  if (ref.endsWith('.')) return "it ends with '.'";
  const components = ref.split('/');
  if (components.some((part) => part.startsWith('.'))) return "a path component starts with '.'";
  if (components.some((part) => part.endsWith('.lock'))) return "a path component ends with '.lock'";
  return null;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** In every ref field's JSON schema: tells a client (and the bad-input walk) which rules the field follows. */
export const GIT_REF_DESCRIPTION =
  'A git branch, tag or commit SHA (git ref-name rules; no spaces or shell metacharacters)';

/** A git ref field; `field` names it in errors because promotion calls it `staging_version`. */
export function gitRefSchema(field: string) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? `${field} is required: a branch, tag or commit SHA`
          : `${field} must be a string: a branch, tag or commit SHA`,
    })
    .superRefine((ref, ctx) => {
      const problem = gitRefProblem(ref);
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          message: `Invalid ${field}: ${shown(ref)}: ${problem}. Give a branch, tag or commit SHA (git ref-name rules)`,
        });
      }
    })
    .describe(GIT_REF_DESCRIPTION);
}
