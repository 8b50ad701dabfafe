// List query parameters (spec §1.6): pageNum 1..1000 (default 1), pageSize 1..500 (default 30).

import { KlingError } from './errors.ts';

export interface PageBounds {
  maxPageNum: number;
  maxPageSize: number;
  defaultPageSize: number;
}

export const TASK_LIST_BOUNDS: PageBounds = { maxPageNum: 1000, maxPageSize: 500, defaultPageSize: 30 };

export interface Page {
  pageNum: number;
  pageSize: number;
}

export function parsePage(query: Record<string, unknown>, bounds: PageBounds = TASK_LIST_BOUNDS): Page {
  return {
    pageNum: parseBounded('pageNum', query.pageNum, 1, bounds.maxPageNum, 1),
    pageSize: parseBounded('pageSize', query.pageSize, 1, bounds.maxPageSize, bounds.defaultPageSize),
  };
}

function parseBounded(name: string, raw: unknown, min: number, max: number, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const text = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (typeof text !== 'string' || !/^\d{1,7}$/.test(text)) {
    throw new KlingError(1201, `${name} must be an integer in [${min}, ${max}]`);
  }
  const value = Number(text);
  if (value < min || value > max) throw new KlingError(1201, `${name} must be an integer in [${min}, ${max}]`);
  return value;
}
