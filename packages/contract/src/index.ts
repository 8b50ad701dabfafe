// @kiln/contract — the Kling API as data. Pure: runs in Node, browsers and edge runtimes.

export * from './errors.ts';
export * from './envelope.ts';
export * from './json.ts';
export * from './family.ts';
export * from './fields.ts';
export * from './plan.ts';
export * from './sizes.ts';
export * from './pricing.ts';
export * from './validate.ts';
export * from './unset-fields.ts';
export * from './moderated-text.ts';
export * from './task.ts';
export * from './pagination.ts';
export { families, familyByName, familyGroups } from './families/index.ts';
export * from './plan-more.ts';
export * from './action.ts';
export { actions, actionByPath, actionGroups } from './actions/index.ts';
export * from './webhooks.ts';
export * from './openapi.ts';
export * from './jwt.ts';
export * from './inputs.ts';
export { SELECTION_UPLOAD_LIMITS } from './actions/multi-elements.ts';
export { FACE_UPLOAD_LIMITS } from './actions/videos.ts';
export { LIP_SYNC_SECONDS } from './families/lip-sync.ts';
export { TRIAL_SECONDS } from './families/custom-voices.ts';
export { ELEMENT_TAG_NAMES, ELEMENT_TAGS, elementTagName } from './families/advanced-custom-elements.ts';
