// "element_list: kling-v3 only" (spec §2.3, §2.5, §5.2): image2video, motion control and generations bind elements on
// their kling-v3 model alone; each family's model table says which model has `elements`.

import type { Rule } from '../family.ts';

export function elementsModelRule<Req extends { model_name?: string; element_list?: readonly unknown[] }>(): Rule<Req, { elements: boolean }> {
  return {
    id: 'elements-model',
    text: 'element_list is supported by kling-v3 only',
    check: (req, model) => {
      if ((req.element_list?.length ?? 0) > 0 && !model.elements) return `element_list is not supported by ${req.model_name} (only kling-v3)`;
    },
  };
}
