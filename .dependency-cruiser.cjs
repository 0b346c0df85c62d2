// Architecture rules for the import graph, checked by `npm run depcruise` (dependency-cruiser).
//
// Paths are matched relative to the directory the cruise runs from (the project root), so the
// patterns below are anchored at `shared/`, `functions/` and `cdktf/`. Imports say `./x.js`
// while the files are `./x.ts` (TypeScript NodeNext); dependency-cruiser resolves those to the
// `.ts` file by itself, and `not-to-unresolvable` fails the check if it ever stops doing so.
//
// test/platform/dependency-rules.test.ts runs this file against a small fixture tree with one
// deliberate violation per rule, so a rule that stops matching is noticed.

/** Production code: what the functions deploy and what the `chimera` command ships. */
const PRODUCTION = '^(shared|functions)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'local-stays-local',
      severity: 'error',
      comment:
        'shared/local/ is the embedded local runtime (local adapters, bus, trigger, scheduler, ' +
        'workflow interpreter, simulator, generator) and is never deployed. Deployed code ' +
        '(functions/ and the rest of shared/) must not import it, or the function bundles ' +
        'would carry it. Tests, benches and cdktf may import it.',
      from: { path: PRODUCTION, pathNot: '^shared/local/' },
      to: { path: '^shared/local/' },
    },
    {
      name: 'domain-uses-ports',
      severity: 'error',
      comment:
        'Domain code depends on the port interfaces in shared/platform/ports/, not on Google ' +
        'Cloud clients. @google-cloud/* may be imported only by the cloud adapters ' +
        '(shared/platform/cloud/), the composition root (shared/platform/platform.ts), the ' +
        'Firestore-backed stores (shared/<context>/firestore/ and ' +
        'shared/<context>/<part>/firestore/), the local runtime (shared/local/) and the ' +
        'function entry points (functions/, not matched by this rule).',
      from: {
        path: '^shared/',
        pathNot: [
          '^shared/platform/cloud/',
          '^shared/platform/platform\\.ts$',
          '^shared/[^/]+/firestore/',
          '^shared/[^/]+/[^/]+/firestore/',
          '^shared/local/',
        ],
      },
      to: { path: '(^|/)node_modules/@google-cloud/' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'No circular imports. Type-only imports count too (tsPreCompilationDeps): they ' +
        'vanish from the emitted JavaScript, but a type-only cycle still ties two modules ' +
        'together so that neither can be understood, tested or moved without the other.',
      from: { path: '^(shared|functions|cdktf)/' },
      to: { circular: true },
    },
    {
      name: 'prod-no-dev-deps',
      severity: 'error',
      comment:
        'Production code (everything under shared/ and functions/) imports no devDependency: ' +
        'Cloud Build installs a function from the dependencies its bundle imports, and the ' +
        'chimera command and the local runtime must work with dependencies alone. Move the ' +
        'package to dependencies or keep the import in test/ or cdktf/. Type-only imports ' +
        'count, because the type describes code the module expects to exist at run time.',
      from: { path: PRODUCTION },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'A relative import that does not resolve to a file on disk: a typo, a moved file, or ' +
        'an import dependency-cruiser could not map from `.js` to the `.ts` source (which would ' +
        'make every other rule blind to it).',
      from: {},
      to: { couldNotResolve: true, path: '^\\.{1,2}/' },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    moduleSystems: ['es6', 'cjs'],
    // Count type-only imports (`import type`) as dependencies, and mark them as such in the
    // JSON output (preCompilationOnly). Every rule above applies to them: a domain module that
    // imports a Google Cloud type still depends on the cloud SDK's shape (see also no-cycles).
    tsPreCompilationDeps: 'specify',
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
