/**
 * Lines for a terminal. Summary lines quote ids, URLs and keys as they were
 * sent; a terminal would act on the control characters among them (ESC
 * sequences rewrite the screen or the window title, a newline forges a line,
 * bidi controls reorder what is shown), so they are printed as escapes.
 */
import { MAX_LOG_LINE } from './limits.js';
import { shorten } from './text.js';

/** Controls (C0, DEL, C1), the line and paragraph separators, and the bidi controls (marks, embeddings, isolates). */
const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}\p{Bidi_Control}]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(char: string): string {
  const code = char.charCodeAt(0);
  return (
    NAMED[char] ??
    (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  );
}

/** One line, safe to print: control characters escaped, cut to `MAX_LOG_LINE` characters. */
export function terminalLine(text: string): string {
  // Cut before escaping too, so a megabyte of input costs no more than a line does.
  return shorten(shorten(text, MAX_LOG_LINE).replace(CONTROL, escape), MAX_LOG_LINE);
}
