/**
 * `GET/POST /api/requests/:id/notes`: the committee's decision notes and evidence links on a
 * request. Everyone reads them; writing one needs a Sign-In with Ethereum session whose address
 * is a current owner of the committee Safe (read on chain at write time).
 */
import type { Express } from 'express';
import { z } from 'zod';
import { DeskError } from '../errors';
import type { DeskEvents } from './events';
import { parseRequestId } from './requests';
import { requireCurrentOwner, type SiweApi } from './siwe';
import type { RequestReadModel } from './views';

export interface NoteView {
  id: number;
  requestId: string;
  author: string;
  body: string;
  links: string[];
  /** ISO 8601 */
  createdAt: string;
}

/** What the routes need of the note table (src/store/noteStore.ts). */
export interface NotesRepository {
  list(requestId: string): Promise<{ id: number; requestId: string; author: string; body: string; links: string[]; createdAt: Date }[]>;
  add(n: { requestId: string; author: string; body: string; links: string[] }): Promise<{ id: number; requestId: string; author: string; body: string; links: string[]; createdAt: Date }>;
}

export const NOTE_MAX_CHARS = 4000;
export const NOTE_MAX_LINKS = 10;
const LINK_MAX_CHARS = 2000;

const noteBody = z
  .object({
    body: z.string().trim().min(1, 'body is empty').max(NOTE_MAX_CHARS, `body is longer than ${NOTE_MAX_CHARS} characters`),
    links: z
      .array(
        z
          .string()
          .trim()
          .max(LINK_MAX_CHARS, `a link is longer than ${LINK_MAX_CHARS} characters`)
          .refine((s) => {
            try {
              const u = new URL(s);
              return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
            } catch {
              return false;
            }
          }, 'links must be http(s) URLs'),
      )
      .max(NOTE_MAX_LINKS, `at most ${NOTE_MAX_LINKS} links`)
      .default([]),
  })
  .strict();

const toView = (n: Awaited<ReturnType<NotesRepository['list']>>[number]): NoteView => ({ ...n, createdAt: n.createdAt.toISOString() });

export function registerNoteRoutes(app: Express, deps: { notes?: NotesRepository; siwe?: SiweApi; readModel: RequestReadModel; events?: DeskEvents }): void {
  app.get('/api/requests/:id/notes', async (req, res) => {
    const id = parseRequestId(req.params.id).toString();
    res.json({ notes: deps.notes ? (await deps.notes.list(id)).map(toView) : [] });
  });

  app.post('/api/requests/:id/notes', async (req, res) => {
    const id = parseRequestId(req.params.id);
    if (!deps.notes || !deps.siwe) throw new DeskError('NOT_FOUND', 'notes are not available on this desk');
    const author = await requireCurrentOwner(req, deps.siwe, 'write a note');
    const parsed = noteBody.safeParse(req.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
      throw new DeskError('NOTE_INVALID', `bad note: ${issues.join('; ')} (body: 1-${NOTE_MAX_CHARS} characters; links: up to ${NOTE_MAX_LINKS} http(s) URLs)`);
    }
    if (!(await deps.readModel.getRequest(id))) throw new DeskError('REQUEST_NOT_FOUND', `no slashing request with id ${id}`);
    const note = await deps.notes.add({ requestId: id.toString(), author, body: parsed.data.body, links: parsed.data.links });
    deps.events?.publish({ type: 'notes', data: { requestId: id.toString() } });
    res.status(201).json(toView(note));
  });
}
