// The texts of a request that Kling's content moderation reads: prompts, negative prompts, each shot's prompt,
// sound and music prompts, the text to speak. Found by field name at any depth, so a new family's prompt fields are
// covered without a list to keep; each comes with its field name as error messages spell it (`multi_prompt[1].prompt`).

export interface ModeratedText {
  field: string;
  text: string;
}

const MODERATED_FIELD = /(?:^|_)prompt$|^text$/;

export function moderatedTexts(body: unknown, field = ''): ModeratedText[] {
  if (Array.isArray(body)) return body.flatMap((item, i) => moderatedTexts(item, `${field}[${i}]`));
  if (typeof body !== 'object' || body === null) return [];
  return Object.entries(body as Record<string, unknown>).flatMap(([key, value]) => {
    const name = field ? `${field}.${key}` : key;
    if (typeof value === 'string') return MODERATED_FIELD.test(key) && value ? [{ field: name, text: value }] : [];
    return moderatedTexts(value, name);
  });
}
