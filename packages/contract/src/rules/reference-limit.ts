// "Reference images + reference elements ≤ N" (spec §5.1, §5.2, §11 rule 8), shared by omni-image and generations.

import type { Rule } from '../family.ts';

export function referenceLimitRule<Req>(limit: number, fields: string, count: (req: Req) => number): Rule<Req, never> {
  return {
    id: 'reference-count',
    text: `${fields} together hold at most ${limit} references`,
    check: (req) => {
      const total = count(req);
      if (total > limit) return `${fields} together may hold at most ${limit} references, got ${total}`;
    },
  };
}
