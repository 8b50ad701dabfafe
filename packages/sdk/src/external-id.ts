// The external_task_id every create carries unless the caller gives one: it makes a create findable after its
// answer was lost (recover), and Kling refuses a second task with the same id, so a create cannot run twice.

export function newExternalTaskId(): string {
  return `kiln-sdk-${crypto.randomUUID()}`;
}
