import { type AppEnvironment, appEnvironment } from '../control/control-inputs.js';
import { CD_INPUTS, type DeclaredInput } from './cd-workflow.js';

/** cd.yml's inputs once validated, with defaults applied. */
export interface CdInputs {
  environment: AppEnvironment;
  skip_tests: boolean;
  /** Percent of traffic the new version serves (a canary step); absent: all of it. */
  traffic_weight?: number;
}

export type InputsCheck = { ok: true; inputs: CdInputs } | { ok: false; message: string };

/**
 * Validates `inputs` of a dispatch the way GitHub does, in GitHub's order and words: unknown keys first, then
 * missing required inputs, then each value against its declared type.
 */
export function checkDispatchInputs(given: Readonly<Record<string, unknown>>): InputsCheck {
  const unexpected = Object.keys(given).filter((key) => !(key in CD_INPUTS));
  if (unexpected.length > 0) return { ok: false, message: `Unexpected inputs provided: ${JSON.stringify(unexpected)}` };
  const values: Record<string, string | boolean | number> = {};
  for (const [name, declared] of Object.entries(CD_INPUTS)) {
    const value = given[name];
    if (value === undefined || value === null || value === '') {
      if (declared.required) return { ok: false, message: `Required input '${name}' not provided` };
      if (declared.type === 'boolean') values[name] = declared.default;
      continue;
    }
    const checked = checkValue(name, declared, value);
    if ('message' in checked) return { ok: false, message: checked.message };
    values[name] = checked.value;
  }
  // The choice's options are exactly the app environments, so this only narrows the type.
  const environment = appEnvironment.safeParse(values.environment);
  if (!environment.success) return { ok: false, message: `Required input 'environment' not provided` };
  const weight = values.traffic_weight;
  if (typeof weight === 'number' && (!Number.isInteger(weight) || weight < 1 || weight > 100)) {
    // What cd.yml's first step would refuse; the sandbox refuses it at dispatch instead of running a broken deploy.
    return {
      ok: false,
      message: `Provided value '${weight}' for input 'traffic_weight' must be a whole number from 1 to 100`,
    };
  }
  return {
    ok: true,
    inputs: {
      environment: environment.data,
      skip_tests: values.skip_tests === true,
      ...(typeof weight === 'number' ? { traffic_weight: weight } : {}),
    },
  };
}

function checkValue(
  name: string,
  declared: DeclaredInput,
  value: unknown,
): { value: string | boolean | number } | { message: string } {
  // GitHub takes every input as a string, and booleans also as JSON booleans.
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (declared.type === 'number') {
    const number = typeof value === 'number' ? value : Number(text);
    if (text.trim() === '' || !Number.isFinite(number)) {
      return { message: `Provided value '${text}' for input '${name}' is not a number` };
    }
    return { value: number };
  }
  if (declared.type === 'boolean') {
    if (value === true || value === 'true') return { value: true };
    if (value === false || value === 'false') return { value: false };
    return { message: `Provided value '${text}' for input '${name}' is not a boolean: expected true or false` };
  }
  if (typeof value !== 'string' || !declared.options.includes(value)) {
    return {
      message:
        `Provided value '${text}' for input '${name}' not in the list of allowed values: ` +
        declared.options.join(', '),
    };
  }
  return { value };
}
