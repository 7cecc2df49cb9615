/**
 * `GET/POST /api/requests/:id/notes`: the committee's decision notes and evidence links on a
 * request. Everyone reads them; writing one needs a Sign-In with Ethereum session whose address
 * is a current owner of the committee Safe (read on chain at write time).
 */
import type { Express } from 'express';
import { DeskError } from '../errors';
import type { DeskEvents } from './events';
import { parseRequestId } from './requests';
import { requireCurrentOwner, type SiweApi } from './siwe';
import { NOTE_MAX_CHARS, NOTE_MAX_LINKS, noteInputSchema } from './schemas/inputs';
import type { NoteListView, NoteView, RequestReadModel } from './views';

export { NOTE_MAX_CHARS, NOTE_MAX_LINKS };

/** What the routes need of the note table (src/store/noteStore.ts). */
export interface NotesRepository {
  list(requestId: string): Promise<{ id: number; requestId: string; author: string; body: string; links: string[]; createdAt: Date }[]>;
  add(n: { requestId: string; author: string; body: string; links: string[] }): Promise<{ id: number; requestId: string; author: string; body: string; links: string[]; createdAt: Date }>;
}

/** the store keeps the checksummed address the session proved */
const toView = (n: Awaited<ReturnType<NotesRepository['list']>>[number]): NoteView => ({ ...n, author: n.author as NoteView['author'], createdAt: n.createdAt.toISOString() });

export function registerNoteRoutes(app: Express, deps: { notes?: NotesRepository; siwe?: SiweApi; readModel: RequestReadModel; events?: DeskEvents }): void {
  app.get('/api/requests/:id/notes', async (req, res) => {
    const id = parseRequestId(req.params.id).toString();
    const body: NoteListView = { notes: deps.notes ? (await deps.notes.list(id)).map(toView) : [] };
    res.json(body);
  });

  app.post('/api/requests/:id/notes', async (req, res) => {
    const id = parseRequestId(req.params.id);
    if (!deps.notes || !deps.siwe) throw new DeskError('NOT_FOUND', 'notes are not available on this desk');
    const author = await requireCurrentOwner(req, deps.siwe, 'write a note');
    const parsed = noteInputSchema.safeParse(req.body);
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
