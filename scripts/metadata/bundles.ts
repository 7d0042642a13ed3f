/**
 * Where an action's runs.main / pre / post lead: GitHub resolves them against the folder of the
 * action's metadata file (so restore/action.yml reaches dist/ with '../dist/restore/index.js'). Each
 * must land on a bundle under dist/ that git tracks; a listed action's main must be its listed bundle.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { join, posix } from 'node:path'
import type { ActionEntry } from './actions.js'

/** What the repository holds at a path: a file git tracks, a file it does not, nothing, or no repository to ask. */
export type BundleState = 'tracked' | 'untracked' | 'missing' | 'no-git'

export interface BundleRef {
  /** 'main', 'pre' or 'post' */
  key: string
  /** the path as action.yml writes it */
  ref: string
}

/** `ref` resolved from the folder of `yml` (both repository-relative), as a normalised repository path. */
export function resolveFromAction(yml: string, ref: string): string {
  return posix.normalize(posix.join(posix.dirname(yml), ref.replace(/\\/g, '/')))
}

/** Problems with the bundles one action names; `yml` is repository-relative, `state` looks a path up. */
export function bundleProblems(
  yml: string,
  refs: readonly BundleRef[],
  entry: ActionEntry | undefined,
  state: (path: string) => BundleState
): { key?: string; message: string }[] {
  if (yml.startsWith('../') || posix.isAbsolute(yml)) {
    return [{ message: `${yml} is outside the repository (the current directory): its bundles cannot be checked` }]
  }
  const problems: { key?: string; message: string }[] = []
  for (const { key, ref } of refs) {
    const path = resolveFromAction(yml, ref)
    const said = `runs.${key} '${ref}' resolves to '${path}'`
    const problem = (message: string) => problems.push({ key, message: `${said}${message}` })
    if (!path.startsWith('dist/')) {
      problem(', outside dist/ (the committed bundles)')
      continue
    }
    if (key === 'main' && entry && path !== entry.bundle)
      problem(`, but scripts/metadata/actions.ts lists '${entry.bundle}' for ${entry.yml}`)
    const found = state(path)
    if (found === 'missing') problem(", which does not exist: run 'npm run build' and commit dist/")
    if (found === 'untracked') problem(', which git does not track: commit dist/ (the runner runs what is committed)')
    if (found === 'no-git') problem('; cannot tell whether it is committed: the current directory is not a git work tree')
  }
  return problems
}

/** Looks paths up under `root`: on disk, then in git's index (read once). */
export function bundleStateIn(root: string): (path: string) => BundleState {
  let tracked: Set<string> | undefined
  let gitFailed = false
  return (path) => {
    const abs = join(root, path)
    if (!existsSync(abs) || !statSync(abs).isFile()) return 'missing'
    if (!tracked && !gitFailed) {
      try {
        const out = execFileSync('git', ['ls-files', '-z', '--', 'dist'], {
          cwd: root,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore']
        })
        tracked = new Set(out.split('\0').filter(Boolean))
      } catch {
        gitFailed = true
      }
    }
    if (!tracked) return 'no-git'
    return tracked.has(path) ? 'tracked' : 'untracked'
  }
}
