/**
 * Committee decision notes on a request (table Note): written by a signed-in current owner,
 * shown to every member. Plain objects out; links are kept as a JSON array string.
 */
import { z } from 'zod';
import type { Db } from './database';

export interface NoteRecord {
  id: number;
  requestId: string;
  /** checksummed address of the owner who wrote it */
  author: string;
  body: string;
  links: string[];
  createdAt: Date;
}

const linksColumn = z.array(z.string());

/** A links column that fails to parse shows no links rather than breaking the page. */
function parseLinks(raw: string): string[] {
  try {
    const parsed = linksColumn.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/**
 * @example
 * const notes = createNoteStore(db, slasher);
 * await notes.add({ requestId: '3', author: '0x…', body: 'Evidence is solid', links: [] });
 */
export function createNoteStore(db: Db, slasher: string) {
  return {
    /** oldest first */
    async list(requestId: string): Promise<NoteRecord[]> {
      const rows = await db.note.findMany({ where: { slasher, requestId }, orderBy: { id: 'asc' } });
      return rows.map((r) => ({ id: r.id, requestId: r.requestId, author: r.author, body: r.body, links: parseLinks(r.links), createdAt: r.createdAt }));
    },

    async add(n: { requestId: string; author: string; body: string; links: string[] }): Promise<NoteRecord> {
      const r = await db.note.create({ data: { slasher, requestId: n.requestId, author: n.author, body: n.body, links: JSON.stringify(n.links) } });
      return { id: r.id, requestId: r.requestId, author: r.author, body: r.body, links: parseLinks(r.links), createdAt: r.createdAt };
    },
  };
}

export type NoteStore = ReturnType<typeof createNoteStore>;
