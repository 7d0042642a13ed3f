/**
 * Scrubs secret values from any text before it is printed. `::add-mask::` only protects what the
 * runner prints; this also covers local runs and messages that quote a request back (the gateway's
 * 401 echoes its canonical request, which holds the signed X-Security-Token). Pure.
 */
export type Redact = (text: string) => string

export const MASK = '***'

export function redactor(secrets: readonly string[]): Redact {
  const forms = new Set<string>()
  for (const secret of secrets) {
    if (!secret) continue
    forms.add(secret)
    forms.add(encodeURIComponent(secret))
  }
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length)
  return (text) => ordered.reduce((out, form) => out.split(form).join(MASK), text)
}
