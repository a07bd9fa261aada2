// Generates, from a tool's JSON input schema (as tools/list gives it), inputs that schema must reject.
import { hasControlCharacters } from '../../domain/control-characters.js';
import { GIT_REF_DESCRIPTION } from '../../domain/git-ref.js';

export interface PropertySchema {
  type?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  description?: string;
}

export interface ToolInputSchema {
  properties?: Record<string, PropertySchema>;
  required?: string[];
  additionalProperties?: boolean;
}

export interface BadInput {
  /** The property the error must name. */
  field: string;
  what: string;
  args: Record<string, unknown>;
}

/** A valid value per field name, for the fields around the bad one: each bad input has exactly one problem. */
const VALID_SAMPLES: Record<string, unknown> = {
  git_ref: 'main',
  staging_version: 'main',
  target_version: 'v1.0.0',
  deployment_id: 'deploy-bad-input-walk',
  reason: 'bad-input walk',
  approval_token: 'bad-input-walk-token',
};

function validSample(name: string, schema: PropertySchema): unknown {
  if (schema.enum) return schema.enum[0];
  if (schema.type === 'boolean') return false;
  if (schema.type === 'integer' || schema.type === 'number') return schema.minimum ?? 1;
  if (name in VALID_SAMPLES) return VALID_SAMPLES[name];
  throw new Error(`no valid sample for required field ${name}: add one to VALID_SAMPLES`);
}

/** Strings worth trying on any string field; which of them a field must reject is decided per field below. */
export const HUGE_BELOW_BODY_CAP = 'x'.repeat(32 * 1024);
const STRINGS: Record<string, string> = {
  empty: '',
  blank: '   ',
  'huge (32 KiB)': HUGE_BELOW_BODY_CAP,
  'just over 255 characters': 'r'.repeat(256),
  'unicode (accents)': 'déploiement-ünïcode',
  emoji: 'release-🚀',
  'right-to-left text': 'שחרור-\u202Eexe',
  NUL: 'main\u0000x',
  'ESC (terminal escape)': 'main\u001b[31mred',
  'newline (forged log line)': 'main\n{"success":true}',
  DEL: 'main\u007f',
  'injection: ; rm -rf /': 'main; rm -rf /',
  'injection: path traversal': '../../etc/passwd',
  'injection: refs/heads/../x': 'refs/heads/../x',
  'injection: --upload-pack=x': '--upload-pack=x',
  'injection: $(id)': '$(id)',
  'injection: backticks': '`id`',
  'injection: @{-1}': 'main@{-1}',
  'injection: pipe': 'main|cat /etc/shadow',
  'injection: URL': 'https://evil.example/x',
  'injection: glob': 'main*',
};
const GIT_REF_BREAKERS = /[\s~^:?*[\\;&|$`<>'"!(){}#%,]|\.\.|@\{|^-|^\/|\/$|\/\/|\.$|^$/;

/**
 * Whether a field must refuse `value`, by the rules its schema states: enum, pattern, length, git ref-name rules
 * (fields described as git refs) and, for every string field, no control characters (they forge log lines).
 */
function stringMustBeRejected(schema: PropertySchema, value: string): boolean {
  if (schema.enum) return !schema.enum.includes(value);
  if (hasControlCharacters(value)) return true;
  if (schema.minLength !== undefined && value.length < schema.minLength) return true;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return true;
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return true;
  if (schema.description === GIT_REF_DESCRIPTION) return value.length > 255 || GIT_REF_BREAKERS.test(value);
  return false;
}

const NOT_A_STRING: Record<string, unknown> = { number: 42, boolean: true, null: null, array: ['main'], object: {} };
const NOT_A_BOOLEAN: Record<string, unknown> = {
  'string "true"': 'true',
  'number 1': 1,
  'number 0': 0,
  null: null,
  array: [true],
  object: {},
};

function numberCases(schema: PropertySchema): Record<string, unknown> {
  const min = schema.minimum ?? 0;
  const max = schema.maximum ?? Number.MAX_SAFE_INTEGER;
  const cases: Record<string, unknown> = {
    'string "10"': '10',
    'string "NaN"': 'NaN',
    'string "Infinity"': 'Infinity',
    'string "1e3"': '1e3',
    boolean: true,
    null: null,
    array: [min],
    object: {},
    'below minimum': min - 1,
    negative: -5,
    'above maximum': max + 1,
    huge: 1e308,
    'beyond safe integers': 2 ** 53 + 2,
  };
  if (schema.type === 'integer') cases.fractional = min + 0.5;
  return cases;
}

/** Every input the schema must reject, one problem each: wrong types, missing and extra fields, bad values. */
export function badInputs(schema: ToolInputSchema): BadInput[] {
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  const base = validBase(schema);
  const inputs: BadInput[] = [];
  for (const name of required) {
    const { [name]: _omitted, ...rest } = base;
    inputs.push({ field: name, what: 'missing required field', args: rest });
  }
  for (const extra of ['unexpected_field', 'constructor', 'DRY_RUN']) {
    inputs.push({ field: extra, what: 'unknown field', args: { ...base, [extra]: 'x' } });
  }
  for (const [name, property] of Object.entries(properties)) {
    const candidates: Record<string, unknown> =
      property.type === 'string'
        ? {
            ...NOT_A_STRING,
            ...Object.fromEntries(Object.entries(STRINGS).filter(([, value]) => stringMustBeRejected(property, value))),
            ...(property.enum ? { 'enum value in capitals': String(property.enum[0]).toUpperCase() } : {}),
          }
        : property.type === 'boolean'
          ? NOT_A_BOOLEAN
          : numberCases(property);
    for (const [what, value] of Object.entries(candidates)) {
      inputs.push({ field: name, what, args: { ...base, [name]: value } });
    }
  }
  return inputs;
}

/** The required fields with valid values: the one good call of each tool. */
export function validBase(schema: ToolInputSchema): Record<string, unknown> {
  const properties = schema.properties ?? {};
  return Object.fromEntries((schema.required ?? []).map((name) => [name, validSample(name, properties[name] ?? {})]));
}
