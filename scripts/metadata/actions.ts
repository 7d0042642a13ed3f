/**
 * The actions this repository ships, one entry each. The build, the metadata validator, the smoke
 * run of the bundles (CI, the release, .ci/run) and the check for unlisted action.yml files read
 * this list, so a new action is one more entry here (the release attests every bundle under dist/).
 */
export interface BundleEntry {
  /** the entry point, from the repository root: 'src/index.ts' */
  src: string
  /** the bundle ncc makes of it, from the repository root: 'dist/index.js' */
  bundle: string
}

export interface ActionEntry extends BundleEntry {
  /** the metadata file, from the repository root: 'action.yml', 'restore/action.yml' */
  yml: string
  /** the bundle of its runs.post, when it has one */
  post?: BundleEntry
  /** the title of the one error annotation the main bundle writes when run with no inputs at all */
  refusal: string
}

export const ACTIONS: readonly ActionEntry[] = [
  { yml: 'action.yml', src: 'src/index.ts', bundle: 'dist/index.js', refusal: 'DWS snapshot: Invalid input' },
  {
    yml: 'restore/action.yml',
    src: 'src/restore-main.ts',
    bundle: 'dist/restore/index.js',
    post: { src: 'src/restore-post.ts', bundle: 'dist/restore/post/index.js' },
    refusal: 'DWS restore: Invalid input'
  }
]

/** Every bundle to build: each action's main, and its post. */
export function allBundles(actions: readonly ActionEntry[] = ACTIONS): BundleEntry[] {
  return actions.flatMap((a) => [{ src: a.src, bundle: a.bundle }, ...(a.post ? [a.post] : [])])
}
