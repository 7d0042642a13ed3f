/**
 * The actions this repository ships, one entry each. The metadata validator, the smoke run of the
 * bundles (CI, the release, .ci/run) and the check for unlisted action.yml files read this list, so
 * a new action is one more entry here (the release attests every bundle under dist/ by a glob).
 */
export interface ActionEntry {
  /** the metadata file, from the repository root: 'action.yml', 'restore/action.yml' */
  yml: string
  /** the bundle its runs.main names, from the repository root: 'dist/index.js', 'dist/restore/index.js' */
  bundle: string
  /** the title of the one error annotation the bundle writes when run with no inputs at all */
  refusal: string
}

export const ACTIONS: readonly ActionEntry[] = [{ yml: 'action.yml', bundle: 'dist/index.js', refusal: 'DWS snapshot: Invalid input' }]
