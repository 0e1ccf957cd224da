// Replaces a file so that readers (and a restart after a crash) see the old content or the new one,
// never a mix: write a temporary file beside it, fsync it, rename it over the target, fsync the folder.
import { open, rename } from 'node:fs/promises'
import { dirname } from 'node:path'

/** One writer per file (the emulator's), so a fixed temporary name is safe and leaves no litter. */
export function temporaryPathOf (path: string): string {
  return `${path}.tmp`
}

export async function writeFileAtomic (path: string, content: string): Promise<void> {
  const temporary = temporaryPathOf(path)
  const file = await open(temporary, 'w', 0o644)
  try {
    await file.writeFile(content, 'utf8')
    await file.sync()
  } finally {
    await file.close()
  }
  await rename(temporary, path)
  // The rename itself is durable only once the folder's entry is on disk.
  const folder = await open(dirname(path), 'r')
  try {
    await folder.sync()
  } catch {
    // Some file systems refuse fsync on folders; the rename is still atomic there.
  } finally {
    await folder.close()
  }
}
