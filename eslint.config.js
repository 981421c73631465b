// Lint guards the layers of ../shared/architecture.md §2 (no-restricted-imports per folder).
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'child_process',
  'os',
  'crypto',
  'stream',
  'stream/*',
  'zlib',
  'net',
  'util',
]
const electronPatterns = ['electron', 'electron/*']
const noElectron = {
  group: electronPatterns,
  message: 'This layer runs on plain Node: never import electron here.',
}
const noRenderer = { group: ['**/renderer/**'], message: 'The renderer is reached only through IPC.' }
const noMain = {
  group: ['**/electron/main/**', '**/main/**'],
  message: 'Only electron/main may import the main process.',
}
const noCli = { group: ['**/cli/**'], message: 'Only the CLI imports the CLI.' }

const restrict = (...patterns) => ['error', { patterns }]

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.tools/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
      ],
    },
  },
  // Config files need their default export.
  { files: ['*.config.{js,ts}', 'eslint.config.js'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        { group: nodeBuiltins, message: 'shared/ is imported by the renderer: zod only, no node:*.' },
        noElectron,
        {
          group: ['**/electron/**', '**/renderer/**', 'react', 'zustand', 'mysql2'],
          message: 'shared/ may import zod only.',
        },
      ),
    },
  },
  {
    files: ['electron/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(noElectron, noRenderer, noMain, noCli, {
        group: ['**/jobs/**'],
        message: 'The engine does not know its callers.',
      }),
    },
  },
  {
    files: ['electron/jobs/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(noElectron, noRenderer, noMain, noCli) },
  },
  {
    files: ['electron/cli/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(noElectron, noRenderer, noMain) },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(noRenderer, noCli, {
        group: electronPatterns,
        importNames: ['ipcMain'],
        message: 'Only electron/main/ipc/handle.ts uses ipcMain.',
      }),
    },
  },
  {
    files: ['electron/main/ipc/handle.ts'],
    rules: { 'no-restricted-imports': restrict(noRenderer, noCli) },
  },
  {
    // Handlers are plain functions over services; Electron APIs arrive through the injected platform.
    files: ['electron/main/ipc/handlers/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(noElectron, noRenderer, noCli) },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(noRenderer, noCli, noMain, {
        group: [...nodeBuiltins, '**/engine/**', '**/jobs/**'],
        message: 'The sandboxed preload sees electron and shared/ only.',
      }),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict(
        noElectron,
        { group: nodeBuiltins, message: 'The renderer has no Node: go through lib/api.ts.' },
        { group: ['**/electron/**'], message: 'The renderer talks to main over IPC only.' },
      ),
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
        {
          selector: "MemberExpression[property.name='sfdb']",
          message: 'Only renderer/src/lib/api.ts uses window.sfdb.',
        },
      ],
    },
  },
  {
    files: ['renderer/src/lib/api.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
      ],
    },
  },
)
