// Whether a write failed on a unique index, in either of the store's dialects: two writers racing for one name get
// the same answer as the one that checked first and lost.

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // better-sqlite3's code, and PostgreSQL's SQLSTATE unique_violation.
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
