// @kiln/sdk/node — the Node-only helpers: saving task outputs to disk. Everything else is in `@kiln/sdk`.

export * from './download.ts';
