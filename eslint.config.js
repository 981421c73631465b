// Lint guards the layers of docs/architecture.md, "Folders" (no-restricted-imports per folder).
import { dirname, relative, resolve, sep } from 'node:path'
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

const noDefaultExport = { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' }

/**
 * Every way of reading `name` off an object (`x.name`, `x['name']`, `` x[`name`] ``, `const { name } = x`),
 * so that a default or namespace import, a require or a global cannot reach what no-restricted-imports
 * guards by name only.
 */
const noMember = (name, message) => [
  { selector: `MemberExpression[property.name='${name}']`, message },
  { selector: `MemberExpression[computed=true][property.value='${name}']`, message },
  { selector: `MemberExpression[computed=true][property.quasis.0.value.cooked='${name}']`, message },
  { selector: `ObjectPattern > Property[key.name='${name}']`, message },
  { selector: `ObjectPattern > Property[key.value='${name}']`, message },
]
const IPC_MAIN = 'Only electron/main/ipc/handle.ts uses ipcMain.'

/**
 * Layer rules on where a relative import really points. A glob on the specifier cannot tell the engine's
 * own electron/engine/jobs/ ('./jobs/x.ts' from electron/engine/) from the job process in electron/jobs/
 * ('../jobs/x.ts' from electron/engine/, the same text from electron/engine/backup/ is the engine's).
 * Option: [{ dir: 'electron/jobs', message }] — folders relative to the project root.
 */
const layersPlugin = {
  rules: {
    'no-import-from': {
      meta: {
        type: 'problem',
        schema: [
          {
            type: 'array',
            items: {
              type: 'object',
              properties: { dir: { type: 'string' }, message: { type: 'string' } },
              required: ['dir', 'message'],
              additionalProperties: false,
            },
          },
        ],
      },
      create(context) {
        const forbidden = context.options[0] ?? []
        const check = (node) => {
          const specifier = node?.type === 'Literal' ? node.value : undefined
          if (typeof specifier !== 'string' || !specifier.startsWith('.')) return
          const target = relative(context.cwd, resolve(dirname(context.filename), specifier))
            .split(sep)
            .join('/')
          const hit = forbidden.find((f) => target === f.dir || target.startsWith(`${f.dir}/`))
          if (hit) context.report({ node, message: `'${specifier}' is in ${hit.dir}/: ${hit.message}` })
        }
        return {
          ImportDeclaration: (node) => check(node.source),
          ExportNamedDeclaration: (node) => check(node.source),
          ExportAllDeclaration: (node) => check(node.source),
          ImportExpression: (node) => check(node.source),
          "CallExpression[callee.name='require']": (node) => check(node.arguments[0]),
        }
      },
    },
  },
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.tools/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', noDefaultExport],
    },
  },
  // Config files need their default export.
  { files: ['*.config.{js,ts}', 'eslint.config.js'], rules: { 'no-restricted-syntax': 'off' } },
  {
    // ipcMain however it is reached: `electron.ipcMain`, `require('electron').ipcMain`, destructured.
    files: ['electron/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', noDefaultExport, ...noMember('ipcMain', IPC_MAIN)] },
  },
  {
    files: ['electron/main/ipc/handle.ts'],
    rules: { 'no-restricted-syntax': ['error', noDefaultExport] },
  },
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
    plugins: { sfdb: layersPlugin },
    rules: {
      'no-restricted-imports': restrict(noElectron, noRenderer, noMain, noCli),
      // electron/engine/jobs/ is the engine's own; electron/jobs/ (the job process) and main's jobs are callers.
      'sfdb/no-import-from': [
        'error',
        [
          { dir: 'electron/jobs', message: 'the engine does not know its callers.' },
          { dir: 'electron/main', message: 'the engine does not know its callers.' },
          { dir: 'electron/cli', message: 'the engine does not know its callers.' },
          { dir: 'renderer', message: 'the engine does not know its callers.' },
        ],
      ],
    },
  },
  {
    files: ['electron/jobs/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(noElectron, noRenderer, noMain, noCli) },
  },
  {
    files: ['electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(noElectron, noRenderer, noMain),
      // A command reads as its stages (parse → settings → plan → run → report), each a function of its own.
      'max-lines-per-function': ['error', { max: 80 }],
    },
  },
  {
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(noRenderer, noCli, {
        group: electronPatterns,
        importNames: ['ipcMain'],
        message: IPC_MAIN,
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
      // window.sfdb, window['sfdb'], const { sfdb } = window, globalThis.sfdb …
      'no-restricted-syntax': [
        'error',
        noDefaultExport,
        ...noMember('sfdb', 'Only renderer/src/lib/api.ts uses window.sfdb.'),
      ],
    },
  },
  {
    files: ['renderer/src/lib/api.ts'],
    rules: { 'no-restricted-syntax': ['error', noDefaultExport] },
  },
)
