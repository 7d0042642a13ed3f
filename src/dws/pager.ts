/**
 * Reading a paged list whose `offset` means different things in different versions of the docs: a
 * page index ("page number minus 1") or a record index ("sequence number of the record"). Pure
 * apart from the page fetcher it is given.
 *
 * The first page is read at offset 0; a probe at offset 1 then tells the readings apart: a record
 * index shifts the first page by one item, a page index gives the next, disjoint page. Each item is
 * returned once (by id); reading stops at a short or empty page, or a page with nothing new.
 */

export type OffsetReading = 'page' | 'record'

export interface Paged<T> {
  items: T[]
  /** how the service read `offset`; undefined when one page held everything */
  reading?: OffsetReading
  requests: number
}

/** The list could not be read consistently (it changed while being read, or the service pages some third way). */
export class PagingError extends Error {
  constructor(detail: string) {
    super(`The cluster's snapshot list could not be paged through reliably: ${detail}`)
    this.name = 'PagingError'
  }
}

export async function readAllPages<T extends { id: string }>(
  fetchPage: (limit: number, offset: number) => Promise<T[]>,
  limit: number,
  maxPages = 1000
): Promise<Paged<T>> {
  const seen = new Map<string, T>()
  const add = (items: readonly T[]): number => {
    let added = 0
    for (const item of items) {
      if (seen.has(item.id)) continue
      seen.set(item.id, item)
      added += 1
    }
    return added
  }
  let requests = 1
  const first = await fetchPage(limit, 0)
  add(first)
  // A short page is the whole list; a longer one means the service ignores `limit` and sent it all.
  if (first.length !== limit) return { items: [...seen.values()], requests }

  requests += 1
  const probe = await fetchPage(limit, 1)
  const reading = readingOf(first, probe)
  if (reading === 'ignored' || probe.length === 0) return { items: [...seen.values()], reading: 'page', requests }
  add(probe)

  // Where the next page starts, in the service's reading.
  let offset = reading === 'record' ? 1 + probe.length : 2
  let last = probe
  while (last.length === limit) {
    if (requests >= maxPages) throw new PagingError(`still more after ${maxPages} pages`)
    requests += 1
    last = await fetchPage(limit, offset)
    if (add(last) === 0) break
    offset += reading === 'record' ? last.length : 1
  }
  return { items: [...seen.values()], reading, requests }
}

/** What the answer at offset 1 says about the meaning of `offset`. */
function readingOf<T extends { id: string }>(first: readonly T[], probe: readonly T[]): OffsetReading | 'ignored' {
  const ids = new Set(first.map((item) => item.id))
  if (probe.every((item) => !ids.has(item.id))) return 'page'
  // Record index: the probe is the first page moved up by one.
  if (first.slice(1).every((item, i) => probe[i]?.id === item.id)) return 'record'
  if (probe.length === first.length && probe.every((item, i) => first[i]?.id === item.id)) return 'ignored'
  throw new PagingError('the answer at offset 1 neither continues nor shifts the first page (the list changed while it was read?)')
}
