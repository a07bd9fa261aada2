import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gitRefProblem } from '../../domain/git-ref.js';
import { securityScanInputSchema } from '../../domain/security.js';
import { smokeTestsInputSchema } from '../../domain/smoke-tests.js';
import { validateDeploymentInputSchema } from '../../domain/validation.js';

function errorOf(result: { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } }) {
  assert.equal(result.success, false, 'input should have been rejected');
  return result.error?.issues.map((issue) => `${issue.message} at ${issue.path.join('.')}`).join('\n') ?? '';
}

describe('git refs', () => {
  for (const ref of ['main', 'v1.2.0', 'release/2025-01', 'feature/x_y-z', 'a'.repeat(40), 'deadbee', 'HEAD']) {
    it(`accepts ${ref.slice(0, 20)}`, () => assert.equal(gitRefProblem(ref), null));
  }
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['main; rm -rf /', /shell metacharacters/],
    ['$(whoami)', /shell metacharacters/],
    ['a..b', /'\.\.'/],
    ['-rf', /starts with '-'/],
    ['feature/.hidden', /starts with '\.'/],
    ['x.lock', /\.lock/],
    ['/main', /empty path component/],
    ['main/', /empty path component/],
    ['main.', /ends with '\.'/],
    ['ma@{1}in', /shell metacharacters|'@\{'/],
    ['bad\u0007ref', /control characters/],
    ['x'.repeat(256), /longer than 255/],
    ['a b', /spaces/],
  ];
  for (const [ref, why] of bad) {
    it(`rejects ${JSON.stringify(ref).slice(0, 24)}`, () => assert.match(gitRefProblem(ref) ?? 'accepted', why));
  }
});

describe('tool inputs', () => {
  it("rejects an unknown environment with the contract's message and the field", () => {
    const message = errorOf(validateDeploymentInputSchema.safeParse({ environment: 'invalid', git_ref: 'main' }));
    assert.match(message, /^Invalid environment: invalid\. Must be 'staging' or 'production' at environment$/);
  });

  it('applies the contract defaults', () => {
    const parsed = validateDeploymentInputSchema.parse({ environment: 'staging', git_ref: 'main' });
    assert.deepEqual(parsed, {
      environment: 'staging',
      git_ref: 'main',
      dry_run: false,
      skip_tests: false,
      skip_security_scan: false,
    });
    assert.deepEqual(securityScanInputSchema.parse({ git_ref: 'main' }), {
      git_ref: 'main',
      scan_dependencies: true,
      scan_code: true,
      scan_secrets: true,
      dry_run: false,
    });
    assert.deepEqual(smokeTestsInputSchema.parse({ environment: 'production' }), {
      environment: 'production',
      test_suite: 'basic',
      timeout_seconds: 300,
      dry_run: false,
    });
  });

  it('names the field of a malformed git ref', () => {
    const message = errorOf(securityScanInputSchema.safeParse({ git_ref: 'main && curl evil' }));
    assert.match(message, /Invalid git_ref: "main && curl evil": .* at git_ref/);
  });

  it('rejects timeout_seconds outside 30-1800 and fractions, naming the range', () => {
    for (const timeout_seconds of [29, 1801, 60.5, -1]) {
      const message = errorOf(smokeTestsInputSchema.safeParse({ environment: 'staging', timeout_seconds }));
      assert.match(message, /timeout_seconds .*30 to 1800 at timeout_seconds/);
    }
  });

  it('rejects an unknown test suite and unknown fields', () => {
    assert.match(
      errorOf(smokeTestsInputSchema.safeParse({ environment: 'staging', test_suite: 'huge' })),
      /Invalid test_suite: huge\. Must be 'basic' or 'full'/,
    );
    assert.match(
      errorOf(validateDeploymentInputSchema.safeParse({ environment: 'staging', git_ref: 'main', force: true })),
      /force/,
    );
  });

  it('rejects wrong types', () => {
    assert.match(errorOf(securityScanInputSchema.safeParse({ git_ref: 42 })), /git_ref must be a string/);
    assert.match(errorOf(securityScanInputSchema.safeParse({})), /git_ref is required/);
    assert.match(errorOf(securityScanInputSchema.safeParse({ git_ref: 'main', dry_run: 'yes' })), /dry_run/);
  });
});
