import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      '.data',
      'coverage',
      'cdktf.out',
      'dist',
      // Deliberately broken imports for the dependency-rule tests.
      'test/platform/fixtures',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read settings through loadConfig(env); only entry points pass process.env.',
        },
      ],
    },
  },
  {
    files: [
      'functions/**/*.ts',
      'shared/local/main.ts',
      'shared/cli/main.ts',
      'test/**/*.ts',
      'cdktf/**/*.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/platform/**', 'shared/**/firestore/**', 'shared/local/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@google-cloud/*'],
              message:
                'Domain code depends on ports; Google Cloud clients belong in shared/platform/cloud and the firestore/ folders.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['eslint.config.js', '.dependency-cruiser.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
);
