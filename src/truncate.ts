/**
 * Caps on text that vigil keeps and shows (history, API, page, alert annotations), so that one
 * large body or error message cannot make every result cost megabytes.
 */
export const ELLIPSIS = '…';
/** A rendered condition (`[BODY] (…) == UP`) is kept and shown up to this many characters. */
export const MAX_RENDERED_CONDITION_CHARS = 1024;
/** An error message is kept and shown up to this many characters. */
export const MAX_ERROR_CHARS = 1024;

/**
 * `text` when it has at most `maxChars` UTF-16 units, else its first `maxChars - 1` units
 * followed by `…` (never splitting a surrogate pair), so the result is at most `maxChars` long.
 */
export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars < 1) return '';
  let end = maxChars - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // keep a surrogate pair whole
  return text.slice(0, end) + ELLIPSIS;
}

/**
 * The part of `text` that can still appear after `truncateText(_, maxChars)`, with enough margin
 * (`marginChars`) that a secret or URL starting before the cut is whole: redact this, then truncate.
 */
export function headForRedaction(text: string, maxChars: number, marginChars = 4096): string {
  return text.length > maxChars + marginChars ? text.slice(0, maxChars + marginChars) : text;
}
