// ESLint as a security scanner, the way teams set it up: the TypeScript
// parser for every file, eslint-plugin-security's recommended rules, and
// eslint-plugin-no-secrets. Used by bench/scan only.
import tsParser from '@typescript-eslint/parser';
import security from 'eslint-plugin-security';
import noSecrets from 'eslint-plugin-no-secrets';

export default [
  {
    files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],
    languageOptions: {
      parser: tsParser,
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    plugins: { 'no-secrets': noSecrets },
    rules: { 'no-secrets/no-secrets': 'error' },
  },
  security.configs.recommended,
];
