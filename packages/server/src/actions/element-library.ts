// The simulator's preset elements (advanced-presets-elements): a few multi-image elements of each kind Kling tags,
// usable by id in element_list like Kling's own library. Their ids are small numbers, as in Kling's examples
// ("element_id": "160"), far from the 18-digit ids custom elements get.

import type { Silhouette } from '../engines/simulator/media/preset-art.ts';

export interface PresetElement {
  element_id: number;
  element_name: string;
  element_description: string;
  silhouette: Silhouette;
  /** Images: the frontal one and 1–3 other views. */
  views: 2 | 3 | 4;
  tags: readonly string[];
  /** A preset voice bound to the element. */
  voice_id?: string;
}

export const PRESET_ELEMENTS: readonly PresetElement[] = [
  { element_id: 159, element_name: 'News Anchor', element_description: 'A composed presenter in a dark suit', silhouette: 'person', views: 4, tags: ['o_101', 'o_102'], voice_id: 'oversea_male1' },
  { element_id: 160, element_name: 'Ginger Cat', element_description: 'A fluffy ginger cat with green eyes', silhouette: 'animal', views: 3, tags: ['o_101', 'o_103'] },
  { element_id: 161, element_name: 'Red Sneaker', element_description: 'A red canvas sneaker with white laces', silhouette: 'item', views: 2, tags: ['o_104'] },
  { element_id: 162, element_name: 'Alpine Valley', element_description: 'Snowy peaks over a green valley', silhouette: 'scene', views: 2, tags: ['o_106'] },
  { element_id: 163, element_name: 'Street Dancer', element_description: 'A young dancer in a yellow hoodie', silhouette: 'person', views: 3, tags: ['o_102', 'o_105'], voice_id: 'ai_shatang' },
  { element_id: 164, element_name: 'Corgi', element_description: 'A cheerful corgi with a short tail', silhouette: 'animal', views: 2, tags: ['o_103'] },
];

export const presetElement = (id: string) => PRESET_ELEMENTS.find((e) => String(e.element_id) === id);
