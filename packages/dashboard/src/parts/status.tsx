// A task status as a badge of fixed width (a status change never moves the row).
export function Status({ status }: { status: string }) {
  return <span class={`status status-${status}`}>{status}</span>;
}
