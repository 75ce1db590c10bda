// The admin UI's scripts (plain ES modules, no build step): ESLint's recommended rules, the browser's globals,
// and the house's line length. Run by the build (src/test/browser/check-ui.sh) with the versions package-lock.json pins.
import js from '@eslint/js';
import globals from 'globals';

export default [
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.browser } },
    rules: {
      'max-len': ['error', { code: 120, ignoreUrls: true }],
      'no-unused-vars': ['error', { args: 'after-used' }],
      // x == null is the one comparison that means null or undefined on purpose
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'prefer-const': 'error',
      'no-var': 'error',
    },
  },
  {
    files: ['**/*.test.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
];
