/** Summaries and units for the report. */

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
export const min = (v: number[]): number => Math.min(...v)
export const max = (v: number[]): number => Math.max(...v)

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`
export const ms = (v: number): string => `${v.toFixed(1)} ms`
export const sec = (v: number): string => `${(v / 1000).toFixed(2)} s`
export const mb = (kib: number): string => `${(kib / 1024).toFixed(1)} MB`
export const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`
export const spread = (v: number[], f: (x: number) => string): string => `${f(min(v))}–${f(max(v))}`
