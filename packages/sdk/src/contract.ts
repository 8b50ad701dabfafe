// @kiln/sdk/contract — the Kling API as data (@kiln/contract: families, schemas, rules, errors), re-exported so
// tools built on the SDK, like the `kiln` command, depend on the SDK alone.

export * from '@kiln/contract';
