/**
 * One gate for text the action did not write itself: answers from the network and values the user
 * typed. Nothing that passes it can start a workflow command (`::…::` only counts at the start of a
 * line, so no line break may survive) or reorder what the reader sees (bidi controls). Pure.
 */

/** Server text quoted in a message: long enough for any real error message, short enough for a log line. */
export const SERVER_TEXT_MAX = 300
/** Input values quoted in an error. */
export const INPUT_TEXT_MAX = 200

// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidi controls: the
// embedding, override and isolate controls and also the invisible marks (ALM, LRM, RLM), which
// change how neighbouring digits and punctuation are ordered on screen.
// eslint-disable-next-line no-control-regex -- finding control characters is this module's job
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

function visible(ch: string): string {
  switch (ch) {
    case '\n':
      return '\\n'
    case '\r':
      return '\\r'
    case '\t':
      return '\\t'
    default:
      return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`
  }
}

/** Control characters shown as escapes (`\n`, `\u001b`), so the text stays on one line and means what it shows. */
export function oneLine(text: string): string {
  return text.replace(UNSAFE, visible)
}

/** Cuts at `max` characters (never inside a surrogate pair) and says how long the whole was. */
export function cap(text: string, max: number): string {
  if (text.length <= max) return text
  let end = max
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end--
  return `${text.slice(0, end)}… (${text.length} characters in all)`
}

/**
 * Text that came from the network, ready for a log line, an annotation, an output or the summary.
 * Callers scrub secrets first: a secret cut in two by the cap would no longer be recognised.
 */
export function serverText(text: string, max = SERVER_TEXT_MAX): string {
  return cap(oneLine(text), max)
}

/** A value the user gave, quoted in an error message. */
export function quoteInput(value: string, max = INPUT_TEXT_MAX): string {
  return `'${cap(oneLine(value), max)}'`
}
