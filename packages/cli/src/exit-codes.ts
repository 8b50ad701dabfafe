// Exit codes of `kiln`, distinct per kind of failure so scripts can tell them apart.

export const EXIT = {
  ok: 0,
  failure: 1,
  invalidInput: 2,
  apiError: 3,
  taskFailed: 4,
  timeout: 5,
} as const;
