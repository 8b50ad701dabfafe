// How long what Kling makes stays usable: generated media is deleted after 30 days (spec §1.4, "Retention"), and an
// editing session (multi-elements init-selection, identify-face) is valid for 24 hours (spec §2.6, §2.8).

const DAY_MS = 24 * 3600 * 1000;

export const RESULT_LIFETIME_DAYS = 30;
export const RESULT_LIFETIME_MS = RESULT_LIFETIME_DAYS * DAY_MS;

export const SESSION_LIFETIME_DAYS = 1;
export const SESSION_LIFETIME_MS = SESSION_LIFETIME_DAYS * DAY_MS;
