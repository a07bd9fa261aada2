import type { Environment } from './environment.js';

export type DestructiveMigrationPolicy = 'warn' | 'block';

interface DestructivePattern {
  pattern: RegExp;
  what: string;
}

// Statements that lose data or break the version still running while the migration applies.
const DESTRUCTIVE_PATTERNS: readonly DestructivePattern[] = [
  { pattern: /\bop\.drop_table\s*\(/, what: 'drops a table' },
  { pattern: /\bop\.drop_column\s*\(/, what: 'drops a column' },
  { pattern: /\bop\.rename_table\s*\(/, what: 'renames a table' },
  { pattern: /\bop\.alter_column\s*\([^)]*new_column_name\s*=/, what: 'renames a column' },
  { pattern: /\bDROP\s+(?:TABLE|COLUMN|SCHEMA|DATABASE)\b/i, what: 'drops a table, column, schema or database' },
  { pattern: /\bTRUNCATE\b/i, what: 'truncates a table' },
  { pattern: /\bDELETE\s+FROM\s+\w+\s*(?:;|$|["'])/i, what: 'deletes every row of a table' },
];

export interface DestructiveStatement {
  path: string;
  line: number;
  what: string;
}

const TOP_LEVEL_FUNCTION = /^def\s+(\w+)\s*\(/;

/**
 * Destructive statements a migration applies when it runs forward. An Alembic migration's `downgrade()` undoes its
 * own `upgrade()` and is expected to drop what upgrade created, so it is not read.
 */
export function findDestructiveStatements(path: string, text: string): DestructiveStatement[] {
  const found: DestructiveStatement[] = [];
  let inDowngrade = false;
  text.split('\n').forEach((line, index) => {
    const functionName = TOP_LEVEL_FUNCTION.exec(line)?.[1];
    if (functionName !== undefined) inDowngrade = functionName === 'downgrade';
    if (inDowngrade || /^\s*#/.test(line)) return;
    for (const { pattern, what } of DESTRUCTIVE_PATTERNS) {
      if (pattern.test(line)) found.push({ path, line: index + 1, what });
    }
  });
  return found;
}

/** Unless configured, a destructive migration warns on staging (where it is rehearsed) and blocks production. */
export function destructiveMigrationPolicy(
  environment: Environment,
  configured: DestructiveMigrationPolicy | undefined,
): DestructiveMigrationPolicy {
  return configured ?? (environment === 'production' ? 'block' : 'warn');
}
