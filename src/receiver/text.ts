/** Cutting text for display, where a length must hold whatever the input. */

/** `text` if it fits in `max` characters, else its start and `…`, never ending in half a surrogate pair. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const last = head.charCodeAt(head.length - 1);
  // A high surrogate whose low half was cut would print as a replacement character.
  return `${last >= 0xd800 && last <= 0xdbff ? head.slice(0, -1) : head}…`;
}
