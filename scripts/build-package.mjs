#!/usr/bin/env node
// Builds one workspace package for publishing; run from the package directory (its `build` script, also run by
// `prepack`). The repository itself never needs this: its tests and `npm start` run the TypeScript sources.
//
//   library (@kiln/contract, @kiln/sdk): `tsc -b` writes ES modules and declarations to dist/esm (project references
//     build @kiln/contract first, once); each module is then converted to CommonJS in dist/cjs, whose package.json
//     says "commonjs" so Node and TypeScript read the files and the copied declarations as CommonJS.
//   cli (@kiln/cli): esbuild bundles the command into dist/main.js; packages stay imports, so the CLI uses the
//     installed @kiln/sdk and loads @kiln/server only if it is installed.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
// esbuild is the version tsx already installs (~0.28); its binary comes from an npm package, nothing is downloaded.
import * as esbuild from 'esbuild';

const kind = process.argv[2];
const dir = process.cwd();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

function walk(root) {
  return fs.readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

async function buildLibrary() {
  try {
    execFileSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { stdio: 'inherit' });
  } catch {
    console.error(`build-package: tsc found errors in ${path.basename(dir)} (above); nothing was packed`);
    process.exit(1);
  }
  const esm = path.join(dir, 'dist/esm');
  const cjs = path.join(dir, 'dist/cjs');
  fs.rmSync(cjs, { recursive: true, force: true });
  fs.mkdirSync(cjs, { recursive: true });
  const files = walk(esm);
  await esbuild.build({
    entryPoints: files.filter((f) => f.endsWith('.js')).map((f) => path.join(esm, f)),
    outdir: cjs,
    outbase: esm,
    format: 'cjs',
    platform: 'neutral',
    target: 'es2022',
    bundle: false,
    logLevel: 'warning',
  });
  for (const f of files.filter((f) => f.endsWith('.d.ts'))) {
    fs.mkdirSync(path.dirname(path.join(cjs, f)), { recursive: true });
    fs.copyFileSync(path.join(esm, f), path.join(cjs, f));
  }
  fs.writeFileSync(path.join(cjs, 'package.json'), '{ "type": "commonjs" }\n');
}

async function buildCli() {
  fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [path.join(dir, 'src/main.ts')],
    outfile: path.join(dir, 'dist/main.js'),
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}

if (kind === 'library') await buildLibrary();
else if (kind === 'cli') await buildCli();
else throw new Error('usage: build-package.mjs library|cli (run in the package directory)');
