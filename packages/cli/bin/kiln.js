#!/usr/bin/env node
// The `kiln` command. Installed from its package it runs the built JavaScript (dist/main.js). In a checkout of the
// kiln repository (src/ is there; the package does not ship it) it runs the TypeScript sources through tsx, with
// the `@kiln/source` condition so @kiln/sdk and @kiln/server resolve to their sources too: no build step.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const source = new URL('../src/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  const addSourceCondition = 'export function resolve(specifier, context, next) {'
    + ' return next(specifier, { ...context, conditions: [...context.conditions, "@kiln/source"] }); }';
  register(`data:text/javascript,${encodeURIComponent(addSourceCondition)}`);
  await import(source.href);
} else {
  await import('../dist/main.js');
}
