import { runRestore } from './restore.js'

await runRestore()
