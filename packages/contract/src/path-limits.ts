// How long one segment of a request path may be: the longest id a client can put there is an external_task_id,
// whose length the contract bounds; a longer segment cannot name anything kiln knows.

import { externalTaskId } from './fields.ts';

export const MAX_PATH_SEGMENT_LENGTH: number = externalTaskId().maxLength ?? 256;
