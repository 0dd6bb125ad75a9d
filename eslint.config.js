// Lint rules for the whole repository: typescript-eslint on the TypeScript (the three packages and
// their tests), the recommended rules on the JavaScript (bench/, build scripts, the inbox's browser
// modules). Layout is Prettier's job (`npm run format`), so eslint-config-prettier turns off every
// rule that would argue with it.
//
// Type-aware rules (floating promises and the like) need a TypeScript program: about 40 s of CPU
// here against about 10 s for the rest, so they run only with LINT_TYPES=1 (`npm run lint:types`).
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const typeAware = process.env.LINT_TYPES === '1';

const unusedVariables = {
  // `_name` marks a value kept for its position; a rest sibling drops a key on purpose.
  args: 'after-used',
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  destructuredArrayIgnorePattern: '^_',
  caughtErrors: 'none',
  ignoreRestSiblings: true,
};

export default defineConfig(
  globalIgnores(['**/lib/', '**/.tmp/', 'bench/.work/', 'bench/results/', 'test-results/']),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  // A rule switched off says why, after `--`, on the same line.
  comments.recommended,
  {
    rules: { '@eslint-community/eslint-comments/require-description': 'error' },
  },
  js.configs.recommended,
  {
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Awaiting one at a time is slow unless it is the point (retries, ordering): such a loop says why.
    // Tests await in order on purpose (to create records in sequence), so only shipped code.
    files: ['packages/*/src/**', 'bench/**', 'scripts/**', 'packages/*/build.js'],
    rules: { 'no-await-in-loop': 'error' },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', unusedVariables],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  typeAware
    ? {
        // The promise rules, on shipped code: an unhandled rejection kills the sandbox or the CLI,
        // and a promise where a callback's result is ignored loses its failure. `void` marks
        // fire-and-forget. (.ci/run runs these; `npm test` does not, for the type program's cost.)
        files: ['packages/*/src/**/*.ts'],
        languageOptions: {
          // The root tsconfig maps @smsdesk/* to the sources, so no package needs building first.
          parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
        },
        rules: {
          '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
          '@typescript-eslint/no-misused-promises': 'error',
          '@typescript-eslint/await-thenable': 'error',
        },
      }
    : {},
  {
    // Long functions are hard to review: a warning, so splitting one stays a judgement call.
    // Tests are left out: a describe block is a long function by nature.
    files: ['packages/*/src/**', 'packages/sandbox/public/**', 'bench/**', 'scripts/**'],
    rules: {
      'max-lines-per-function': ['warn', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: globals.node },
    rules: { 'no-unused-vars': ['error', unusedVariables] },
  },
  {
    // Test fixtures run as Node child processes.
    files: ['packages/*/test/**/*.mjs'],
    languageOptions: { globals: globals.node },
    rules: { 'no-unused-vars': ['error', unusedVariables] },
  },
  {
    // The inbox's scripts run in the browser as ES modules.
    files: ['packages/sandbox/public/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  prettier
);
