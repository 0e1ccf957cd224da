// Twilio v2 list paging: PageSize (1-1000, default 50), Page (echoed back, for client state) and
// PageToken (an opaque cursor). Tokens are `PA<seq>` (the page after record seq) and `PB<seq>` (the page
// before it), so any page costs the same to read however many records precede it.
import { TwilioApiError } from './errors.js'
import type { CollectionPage, Cursor } from './store/ordered-collection.js'

export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 1000

export const pageQuerySchema = {
  type: 'object',
  properties: {
    PageSize: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
    Page: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    PageToken: { type: 'string', maxLength: 64 }
  }
} as const

export interface PageQuery {
  PageSize?: number
  Page?: number
  PageToken?: string
}

export interface PageRequest {
  pageSize: number
  page: number
  token: string | undefined
  cursor: Cursor
}

const TOKEN = /^P([AB])([0-9a-z]{1,11})$/

export function parsePageQuery (query: PageQuery): PageRequest {
  const pageSize = query.PageSize ?? DEFAULT_PAGE_SIZE
  const page = query.Page ?? 0
  const token = query.PageToken
  if (token === undefined) return { pageSize, page, token, cursor: { offset: page * pageSize } }
  const match = TOKEN.exec(token)
  if (match === null) throw new TwilioApiError(400, 60306, 'Invalid parameter: PageToken')
  const seq = parseInt(match[2] as string, 36)
  return { pageSize, page, token, cursor: match[1] === 'A' ? { after: seq } : { before: seq } }
}

function tokenOf (cursor: Cursor): string {
  if ('after' in cursor) return 'PA' + cursor.after.toString(36)
  if ('before' in cursor) return 'PB' + cursor.before.toString(36)
  throw new Error('offset cursors have no token')
}

export interface ListMeta {
  page: number
  page_size: number
  first_page_url: string
  previous_page_url: string | null
  url: string
  next_page_url: string | null
  key: string
}

/** The `meta` object of a list response; `listUrl` is the absolute URL of the list without a query. */
export function listMeta (listUrl: string, key: string, request: PageRequest, result: CollectionPage<unknown>): ListMeta {
  const size = `?PageSize=${request.pageSize}`
  const current = request.token === undefined ? '' : `&PageToken=${request.token}`
  return {
    page: request.page,
    page_size: request.pageSize,
    first_page_url: `${listUrl}${size}&Page=0`,
    previous_page_url: result.previous === null
      ? null
      : `${listUrl}${size}&Page=${Math.max(0, request.page - 1)}&PageToken=${tokenOf(result.previous)}`,
    url: `${listUrl}${size}&Page=${request.page}${current}`,
    next_page_url: result.next === null ? null : `${listUrl}${size}&Page=${request.page + 1}&PageToken=${tokenOf(result.next)}`,
    key
  }
}

