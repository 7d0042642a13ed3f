/** File-system facts the benchmark checks before and after it measures. */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

export function newestMtime(paths: string[]): number {
  return Math.max(...paths.filter((p) => existsSync(p)).map((p) => statSync(p).mtimeMs))
}

/** Every file under `dir`, in subfolders too. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
}

/** Changes whenever a file in `dir` is rewritten: other people rebuild dist/ in this folder. */
export function folderStamp(dir: string): string {
  return readdirSync(dir)
    .map((f) => `${f}:${statSync(join(dir, f)).mtimeMs}`)
    .join(',')
}
