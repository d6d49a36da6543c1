import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layers } from './tools/lint/layers.mjs';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.devstack*/**',
      '.cluster/**',
      '.tools/**',
      'k8s/**',
      '.stryker-tmp/**',
      'reports/**',
      // Deliberate breaches: tools/lint/layers.test.ts lints them with --no-ignore.
      'tools/lint/fixtures/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
  {
    // Build tools that run on plain node before anything is compiled.
    files: ['tools/**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
  ...tseslint.configs.recommended,
  {
    // CommonJS config files (jest's) can only require.
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    // Any depth of services/*/src, so the fixture's services fall under the same rule.
    files: ['**/services/*/src/**/*.ts'],
    plugins: { layers },
    rules: {
      'layers/boundaries': [
        'error',
        {
          // The packages each inner layer may import; node:crypto gives ids and digests, no I/O.
          packages: {
            domain: ['@shop/contracts'],
            application: ['@shop/contracts', 'node:crypto'],
          },
        },
      ],
    },
  },
);
