/** The agency session name STS accepts: 2–128 of letters, digits and `_+=,.@-`. Pure. */

const ALLOWED = /[A-Za-z0-9_+=,.@-]/
const SESSION_NAME_MAX = 128
const SESSION_NAME_MIN = 2

export class SessionNameError extends Error {}

/** The expanded template made valid: other characters become '-', and it is cut at 128. */
export function toSessionName(expanded: string): { value: string; changes: string[] } {
  const changes: string[] = []
  let value = Array.from(expanded, (ch) => (ALLOWED.test(ch) ? ch : '-')).join('')
  if (value !== expanded) changes.push("characters other than letters, digits and _+=,.@- became '-'")
  if (value.length > SESSION_NAME_MAX) {
    value = value.slice(0, SESSION_NAME_MAX)
    changes.push(`cut to ${SESSION_NAME_MAX} characters`)
  }
  if (value.length < SESSION_NAME_MIN) {
    throw new SessionNameError(`'${value}' is too short for a session name: at least ${SESSION_NAME_MIN} characters`)
  }
  return { value, changes }
}
