// Every new-standard endpoint kiln serves (spec new-standard.md §1.3): the twelve documented product × model pairs.

import type { AnyNewStandardEndpoint, NewStandardProduct } from './endpoint.ts';
import { textToVideoEndpoints } from './text-to-video.ts';
import { imageToVideoEndpoints } from './image-to-video.ts';
import { omniVideoEndpoints } from './omni-video.ts';
import { motionControlEndpoints } from './motion-control.ts';

export const newStandardEndpoints: readonly AnyNewStandardEndpoint[] = [
  ...textToVideoEndpoints, ...imageToVideoEndpoints, ...omniVideoEndpoints, ...motionControlEndpoints,
] as unknown as AnyNewStandardEndpoint[];

export const NEW_STANDARD_PRODUCTS: readonly NewStandardProduct[] = ['text-to-video', 'image-to-video', 'omni-video', 'motion-control'];

/** The endpoint of a product and a path model id (or one of its aliases). */
export function newStandardEndpoint(product: string, modelId: string): AnyNewStandardEndpoint | undefined {
  return newStandardEndpoints.find((e) => e.product === product && (e.modelId === modelId || e.aliases.includes(modelId)));
}

/** The endpoint of a task's family name (`text-to-video/kling-3.0-turbo`). */
export function newStandardEndpointByName(name: string): AnyNewStandardEndpoint | undefined {
  return newStandardEndpoints.find((e) => e.name === name);
}

/** The model ids of the new standard, each with the products it is served on. */
export function newStandardModels(): Map<string, NewStandardProduct[]> {
  const models = new Map<string, NewStandardProduct[]>();
  for (const e of newStandardEndpoints) models.set(e.modelId, [...(models.get(e.modelId) ?? []), e.product]);
  return models;
}

/**
 * "model is not supported": a known product with an unknown model id, as live Kling answers (HTTP 400, §1.3; the
 * vendor table's 404/1203 reading is not followed).
 */
export const modelNotSupported = (product: string, modelId: string) =>
  `model is not supported: ${product} has no model '${modelId}'; supported: ${newStandardEndpoints.filter((e) => e.product === product).map((e) => e.modelId).join(', ')}`;

/** The message of a JWT (AK/SK) credential on a new-standard path (§1.4, live). */
export const AKSK_NOT_SUPPORTED =
  'Authentication error. The current API does not support AK/SK; please use an API key (Authorization: Bearer <API key>).';

export * from './endpoint.ts';
export * from './body.ts';
export * from './multi-shot.ts';
export * from './element-names.ts';
export * from './rates.ts';
export * from './record.ts';
export * from './task-queries.ts';
export { validateNewStandard, describeNewStandardError } from './validate.ts';
export { T2V_MODELS } from './text-to-video.ts';
export { I2V_MODELS } from './image-to-video.ts';
export { OMNI_MODELS } from './omni-video.ts';
export { MOTION_MODELS } from './motion-control.ts';
