// ESLint flat config, as actions/typescript-action sets it up: typescript-eslint's strict
// type-checked rules over everything that is TypeScript, Prettier owning the formatting.
import eslint from '@eslint/js'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'bench/.work/'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    }
  },
  {
    rules: {
      // Numbers in messages (sizes, attempts, durations in ms) are what the messages are made of.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `(m) => io.info(m)` forwards a call; wrapping it in braces says nothing more.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `_` marks what is deliberately left out, e.g. `const { token: _, ...rest } = x`.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true }]
    }
  },
  {
    // Tests assert on values they just made, and read JSON they wrote: `!` and untyped JSON are the point there.
    files: ['__tests__/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // Fakes implement async interfaces without awaiting; test.each rows and expect(fn) trip these needlessly.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Clean-up hooks guard against a setup that failed half-way; answers under test are any JSON.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-explicit-any': 'off'
    }
  },
  {
    // Dev tooling reads tables it just built; a missing entry is a bug that should throw, which `!` does.
    files: ['scripts/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' }
  },
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
  prettier
)
