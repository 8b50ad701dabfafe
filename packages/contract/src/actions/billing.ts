// Deduction details (spec §6.2, added 07/06/2026): what each task or call took from the resource packs
// (POST /account/billing/package) or from the cash balance (POST /account/billing/balance), page by page with an
// opaque cursor.
//
// Filters: values of one key are alternatives (OR), different keys all apply (AND). [APPX-C §6a] and the endpoint
// pages say so; the changelog words it the other way round (spec §6.2), which would make a filter on two keys
// widen the result rather than narrow it: kiln follows the endpoint pages.

import { Type, type Static } from '@sinclair/typebox';
import { defineAction } from '../action.ts';
import type { Rule } from '../family.ts';
import { oneOf } from '../fields.ts';

export const PRODUCT_TYPES = ['video', 'image', 'try-on'] as const;

function billingRequest<const K extends readonly string[]>(keys: K) {
  return Type.Object({
    // Task creation time, Unix ms; "required when cursor is empty" (the table says optional: the notes decide).
    start_time: Type.Optional(Type.Integer({ minimum: 0 })),
    end_time: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 500 })),
    // The pages give no sizes for filters and cursor: kiln's bounds (20 filters, 100 values of 256 characters, a
    // 2048-character cursor) only keep a body reasonable.
    filters: Type.Optional(Type.Array(Type.Object({
      key: oneOf(keys),
      // The documented example sends every key with `"values": []`: an empty list filters nothing.
      values: Type.Array(Type.String({ maxLength: 256 }), { maxItems: 100 }),
    }), { maxItems: 20 })),
    // From next_cursor; "" (as the documented example sends) is no cursor. A cursor overrides every other field.
    cursor: Type.Optional(Type.String({ maxLength: 2048 })),
  });
}

const packageRequest = billingRequest(['api_key_name', 'product_type', 'package_name', 'package_id'] as const);
const balanceRequest = billingRequest(['api_key_name'] as const);
type BillingRequest = Static<typeof packageRequest> | Static<typeof balanceRequest>;

const hasCursor = (req: BillingRequest) => typeof req.cursor === 'string' && req.cursor !== '';
/** Filters with at least one value, by key. */
const filterKeys = (req: BillingRequest) => new Set((req.filters ?? []).filter((f) => f.values.length > 0).map((f) => f.key as string));

// With a cursor, the other fields "are invalid" (ignored): the rules apply only to a first page's query.
const periodRules: Rule<BillingRequest, undefined>[] = [
  {
    id: 'period-unless-cursor',
    text: 'start_time and end_time are required when cursor is empty',
    check: (req) => {
      if (hasCursor(req)) return;
      if (req.start_time === undefined) return 'start_time is required when cursor is empty';
      if (req.end_time === undefined) return 'end_time is required when cursor is empty';
    },
  },
  // The pages do not say: an empty or inverted period can only be a mistake, which an empty first page would hide.
  {
    id: 'start-before-end',
    text: 'start_time must be earlier than end_time',
    check: (req) => {
      if (!hasCursor(req) && req.start_time !== undefined && req.end_time !== undefined && req.start_time >= req.end_time) {
        return `start_time must be earlier than end_time (got ${req.start_time} and ${req.end_time})`;
      }
    },
  },
];

const packageRules: Rule<Static<typeof packageRequest>, undefined>[] = [
  ...periodRules,
  {
    id: 'package-name-or-id',
    text: 'filters: package_name and package_id cannot be used together',
    check: (req) => {
      const keys = filterKeys(req);
      if (!hasCursor(req) && keys.has('package_name') && keys.has('package_id')) {
        return 'filters: package_name and package_id are mutually exclusive; filter by one of them';
      }
    },
  },
  {
    id: 'product-type-values',
    text: `filters: product_type values must be ${PRODUCT_TYPES.join(', ')}`,
    check: (req) => {
      if (hasCursor(req)) return;
      for (const [i, filter] of (req.filters ?? []).entries()) {
        if (filter.key !== 'product_type') continue;
        const j = filter.values.findIndex((v) => !(PRODUCT_TYPES as readonly string[]).includes(v));
        if (j >= 0) return `filters[${i}].values[${j}]: product_type must be one of ${PRODUCT_TYPES.map((t) => `'${t}'`).join(', ')}`;
      }
    },
  },
];

const DETAIL_COMMON =
  'task_id, api_key_name, product_function, model_name, resolution (720p|1080p|4k for videos), duration, ' +
  'refer_video_input, video_sound (native|original|off), voice_control, deduction_time (ms, as a string)';

export const billingPackage = defineAction({
  name: 'account/billing/package',
  group: 'account',
  title: 'Unit deduction details',
  method: 'POST',
  path: '/account/billing/package',
  request: packageRequest,
  rules: packageRules,
  description:
    'What each task or call took from the resource packs, oldest deduction first, for tasks created in ' +
    '[start_time, end_time]; filter by api_key_name, product_type, package_name or package_id. A charge that ' +
    'drew on two packs has one item per pack.',
  response:
    `{result{detail[{package_id, product_type, ${DETAIL_COMMON}, unit_before_deduction, deduction_amount, ` +
    'unit_after_deduction}], count (items in this answer)}, next_cursor, has_more}',
});

export const billingBalance = defineAction({
  name: 'account/billing/balance',
  group: 'account',
  title: 'Balance deduction details',
  method: 'POST',
  path: '/account/billing/balance',
  request: balanceRequest,
  rules: periodRules,
  description:
    'What tasks took from the cash balance. Kiln bills resource packs only (spec §1.10), so the list is always ' +
    'empty; the body is checked as for the unit details.',
  response:
    `{result{detail[{${DETAIL_COMMON}, cash_type, balance_before_deduction, deduction_amount, ` +
    'balance_after_deduction, list_price, currency}], count}, next_cursor, has_more}',
});
