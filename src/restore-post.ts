import { runRestorePost } from './restore.js'

await runRestorePost()
