// @kiln/sdk/node — the Node-only helpers: saving task outputs to disk, and files on disk as media inputs.
// Everything else is in `@kiln/sdk`.

export * from './download.ts';
export * from './file-from.ts';
