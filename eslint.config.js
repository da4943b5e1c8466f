// Lint: typescript-eslint strictTypeChecked over every TypeScript file (docs/architecture.md, "Lint and layers").
// Options loosened below are listed with the reason; nothing else is switched off.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'web/dist/**', '**/*.mjs', '**/*.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Numbers in messages and paths are the common, safe case; objects and nullish values stay refused.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `x => void f()` style is noisier than `x => f()` for callbacks whose result is ignored anyway.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Parsed JSON is `unknown` until a schema says otherwise: `JSON.parse(…) as T` is a cast of attacker bytes.
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSAsExpression > CallExpression[callee.object.name='JSON'][callee.property.name='parse']",
          message: 'Parse JSON with a schema (zod or core/json/strict.ts), not a cast.',
        },
        {
          selector: "TSAsExpression > TSAsExpression > CallExpression[callee.object.name='JSON'][callee.property.name='parse']",
          message: 'Parse JSON with a schema (zod or core/json/strict.ts), not a cast.',
        },
      ],
    },
  },
  {
    // A test that dereferences what it just asserted fails loudly anyway; `!` there reads better than a guard.
    files: ['**/*.test.ts', '**/*.testutil.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
