/*
 * The web UI end to end, in Debian's Chromium (playwright-core) against a desk on the devnet, with
 * an injected EIP-1193 wallet that signs with anvil dev keys: the board lists the seeded requests
 * with live countdowns; owners 1 and 2 sign a veto from the page and owner 2 executes it from the
 * wallet (this desk has no executor key), and the request turns vetoed on chain and on the page;
 * two vetoes signed out of order around an unsigned request: the blocked one says so (page and
 * board) and signing it again at the blocking nonce, its way out, lands it;
 * a non-owner's signature is refused with a readable message; SIWE sign-in and a note by an owner
 * work, a non-owner's note is refused; a practice request queued from the board appears with a
 * countdown whose time matches the chain's block time; on a phone no cell label runs into the
 * next. Screenshots of the board and a request page (desktop and
 * phone) go to test-artifacts/screenshots/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Hex } from 'viem';
import { anvilDevAccounts } from '../src/devnet/anvil';
import { SLASHING_STATUS_NAMES, vetoableSlasherV3Abi } from '../src/devnet/deploy';
import { createDevClients, DEVNET_REDISTRIBUTION_RECIPIENT, startDevnet, type Devnet } from '../src/devnet/devnet';
import { startDesk, type Desk } from '../src/app/desk';
import { createLogger } from '../src/lib/logger';
import { buildWeb, injectWallet, launchBrowser, type InjectedWallet } from './helpers/browser';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { waitFor } from './helpers/deskProcess';

export const SCREENSHOTS = path.join(__dirname, '..', 'test-artifacts', 'screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let devnet: Devnet;
let db: TestDatabase;
let desk: Desk;
let browser: Browser;
let page: Page;
let wallet: InjectedWallet;
let webDir: string;
const stranger = anvilDevAccounts(6)[5]!; // dev account #5: not an owner

beforeAll(async () => {
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veto-desk-web-'));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // the current web sources, built while the chain is seeded and the browser starts
  [devnet, db, browser] = await Promise.all([
    // a long window: the test signs well inside it even on a slow machine
    startDevnet({ blockTime: 1, vetoWindowBlocks: 400 }),
    createTestDatabase('sqlite'),
    launchBrowser(),
    buildWeb(webDir),
  ]).then(([d, b, br]) => [d, b, br] as const);
  desk = await startDesk({
    rpcUrls: [devnet.rpcUrl],
    slasher: devnet.slasher,
    database: db.target,
    port: 0,
    host: '127.0.0.1',
    startBlock: Number(devnet.deployBlock),
    confirmations: 0,
    pollIntervalMs: 300,
    reorgDepth: 64,
    maxLogRange: 10_000,
    logger: createLogger('silent'),
    webDir,
    // no executor key: once the threshold is met an owner executes the veto from the page
    vetoes: { contractNetworks: devnet.contractNetworks as unknown as Record<string, Record<string, string>> },
    devAccounts: devnet.owners.map((o, i) => ({ label: `devnet owner ${i + 1}`, address: o.address, privateKey: o.privateKey })),
    // the practice panel; no slotSeconds: the block time is what the desk measures
    devRequests: { operators: devnet.operators, queue: (input) => devnet.queue(input) },
  });
  page = await browser.newPage({ viewport: DESKTOP });
  wallet = await injectWallet(page, { rpcUrl: devnet.rpcUrl, chainId: devnet.chainId });
});

afterAll(async () => {
  await browser?.close();
  await desk?.stop();
  await devnet?.stop();
  await db?.drop();
  if (webDir) fs.rmSync(webDir, { recursive: true, force: true });
});

async function slasherStatus(id: bigint): Promise<string> {
  const { publicClient } = createDevClients(devnet.rpcUrl, devnet.keeper.privateKey);
  const [, , status] = await publicClient.readContract({ address: devnet.slasher, abi: vetoableSlasherV3Abi, functionName: 'slashingRequests', args: [id] });
  return SLASHING_STATUS_NAMES.V3[status]!;
}

const vetoCard = () => page.locator('section', { has: page.getByRole('heading', { name: 'Committee veto' }) });
const notesCard = () => page.locator('section', { has: page.getByRole('heading', { name: 'Decision notes and evidence' }) });

async function useAccount(key: Hex | null): Promise<void> {
  await wallet.use(key);
}

it('lists the seeded requests with live countdowns, the stake-escapes-first badge and the dev signer', async () => {
  await useAccount(devnet.owners[0]!.privateKey);
  await page.goto(`${desk.url}/`);
  const { seeded } = devnet;
  for (const id of [seeded.fulfilled, seeded.cancelled, seeded.atRisk, ...seeded.open]) {
    await page.locator(`tr[data-request-id="${id}"]`).waitFor();
  }
  await expectText(page.locator(`tr[data-request-id="${seeded.fulfilled}"]`), 'Fulfilled');
  await expectText(page.locator(`tr[data-request-id="${seeded.cancelled}"]`), 'Vetoed');
  const atRisk = page.locator(`tr[data-request-id="${seeded.atRisk}"]`);
  await expectText(atRisk, 'Stake escapes first');
  const open = page.locator(`tr[data-request-id="${seeded.open[0]}"]`);
  await expectText(open, 'In veto window');
  await expectText(open, '0 of 2');
  // what the slash takes, in tokens, and where the funds go: 10 % of 12,500 EIGEN shares, redistributed
  const redistributing = page.locator(`tr[data-request-id="${seeded.redistributing}"]`);
  await expectText(redistributing, '1,250 EIGEN');
  // (hasText ignores case: the exact text is compared too)
  await expectText(redistributing, `redistributes to ${DEVNET_REDISTRIBUTION_RECIPIENT.slice(0, 6)}…${DEVNET_REDISTRIBUTION_RECIPIENT.slice(-4)}`);
  expect(await redistributing.locator('.badge.redistributes').textContent()).toBe('redistributes to 0x0000…eeF0');
  // 10 % of 3,200 WETH shares; its stETH leaves before the window ends
  await expectText(open, '320 WETH + 0 stETH');
  expect(await open.locator('.badge.redistributes').count()).toBe(0);
  // L: one wording for settled requests; an open one shows the strategy whose stake leaves early
  for (const id of [seeded.fulfilled, seeded.cancelled]) await expectText(page.locator(`tr[data-request-id="${id}"] td[data-label="Last useful block (L)"]`), 'n/a — settled');
  await expectText(open.locator('td[data-label="Last useful block (L)"]'), 'no limit: stake stays');
  await expectText(open.locator('td[data-label="Last useful block (L)"]'), `stake of strategy ${devnet.strategies[1]!.slice(0, 6)}`);
  // the countdown is block-exact and labelled as an estimate, and moves with the head (SSE, no reload)
  const countdown = open.locator('td[data-label="Veto window ends"] .countdown');
  const before = await countdown.textContent();
  expect(before).toMatch(/^in \d+ blocks$/);
  await expectText(open.locator('td[data-label="Veto window ends"]'), '(estimate)');
  await waitFor('the countdown to move', async () => (await countdown.textContent()) !== before, 10_000);
  await expect(page.getByText('Dev signer (devnet only)').first().isVisible()).resolves.toBe(true);

  // filters: only the open ones, then back
  await page.getByRole('button', { name: /^In veto window/ }).click();
  await page.waitForURL(/status=in_veto_window/);
  await expect(page.locator(`tr[data-request-id="${seeded.fulfilled}"]`).count()).resolves.toBe(0);
  await page.getByRole('button', { name: /^All/ }).click();
  await page.locator(`tr[data-request-id="${seeded.fulfilled}"]`).waitFor();

  await page.screenshot({ path: path.join(SCREENSHOTS, 'board-desktop.png'), fullPage: true });
  await page.setViewportSize(PHONE);
  // each cell is as tall as its label at least: a label that wraps ("Last useful block (L)")
  // no longer runs into the next cell's ("Veto signatures")
  const overflowing = await page.$$eval('.board th[data-label], .board td[data-label]', (cells) =>
    cells
      .map((c) => {
        // runs in the page (this file is compiled without the DOM library)
        const style = (globalThis as unknown as { getComputedStyle(e: unknown, pseudo?: string): { height: string; paddingTop: string } }).getComputedStyle;
        const labelBottom = parseFloat(style(c).paddingTop) + parseFloat(style(c, '::before').height);
        return { label: c.getAttribute('data-label'), labelBottom, cell: c.getBoundingClientRect().height };
      })
      .filter((x) => !(x.labelBottom <= x.cell + 0.5)),
  );
  expect(overflowing).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'board-phone.png'), fullPage: true });
  await page.setViewportSize(DESKTOP);
});

it('queues a practice request from the board; its countdown runs at the chain’s block time', async () => {
  await page.goto(`${desk.url}/`);
  const panel = page.locator('details.practice');
  await panel.locator('summary').click();
  await expectText(panel, 'Devnet only');
  await panel.getByLabel(/Percent to slash/).fill('20');
  await panel.getByLabel(/Description/).fill('e2e drill: practice veto');
  await panel.getByRole('button', { name: 'Queue practice request' }).click();
  await expectText(panel.locator('.outcome.ok'), 'Queued request #', 20_000);
  const shown = (await panel.locator('.outcome.ok').textContent())!;
  const [, id, block] = /request #(\d+) in block ([\d,]+)/.exec(shown)!;
  const queuedAt = Number(block!.replaceAll(',', ''));
  const row = page.locator(`tr[data-request-id="${id}"]`);
  await row.waitFor({ timeout: 20_000 });
  await expectText(row, 'In veto window');
  await expectText(row, '20%');
  const { publicClient } = createDevClients(devnet.rpcUrl, devnet.keeper.privateKey);
  const [params] = await publicClient.readContract({ address: devnet.slasher, abi: vetoableSlasherV3Abi, functionName: 'slashingRequests', args: [BigInt(id!)] });
  expect(params.description).toBe('e2e drill: practice veto');

  // the desk's block time is the chain's: within 25 % of the devnet's 1 s
  const view = (await (await fetch(`${desk.url}/api/requests/${id}`)).json()) as { vetoWindowEnd: { block: number }; deadlines: { blockTimeSeconds: number } };
  expect(view.vetoWindowEnd.block).toBe(queuedAt + devnet.vetoWindowBlocks);
  expect(Math.abs(view.deadlines.blockTimeSeconds - 1)).toBeLessThanOrEqual(0.25);
  // the countdown: N blocks ≈ N seconds at 1 s a block (the page counts from when it saw the head)
  const cell = row.locator('td[data-label="Veto window ends"]');
  const blocksLeft = Number(/in (\d+) blocks?/.exec((await cell.locator('.countdown').textContent())!)![1]);
  const seconds = parseDuration((await cell.locator('.estimate').textContent())!);
  expect(blocksLeft).toBeGreaterThan(devnet.vetoWindowBlocks - 60);
  expect(Math.abs(seconds - blocksLeft * 1)).toBeLessThanOrEqual(Math.max(3, blocksLeft * 0.25));
});

it('shows a description’s direction overrides and escape characters written out, never applied', async () => {
  const { requestId } = await devnet.queue({ description: 'VETO NOT NEEDED \u001b[2J \u202eevil\u202c' });
  await page.goto(`${desk.url}/requests/${requestId}`);
  const lead = page.locator('.page-head .lead');
  await lead.waitFor({ timeout: 20_000 });
  expect(await lead.textContent()).toBe('VETO NOT NEEDED \\u001b[2J \\u202eevil\\u202c');
  await page.goto(`${desk.url}/`);
});

it('two owners sign a veto from the page; it executes from the wallet and the request turns vetoed', async () => {
  // the at-risk request's window ends first: its veto holds the Safe's next nonce
  const id = devnet.seeded.atRisk;
  await page.getByRole('link', { name: `#${id}`, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`Request #${id}`) }).waitFor();
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await expectText(page.locator('.wallet-bar'), devnet.owners[0]!.address.slice(0, 6));
  // what is signed, checked in the browser
  await expectText(vetoCard(), 'your browser computes the same safeTxHash as the desk');
  await expectText(vetoCard(), `calls cancelSlashingRequest(${id})`);

  await vetoCard().getByRole('button', { name: 'Sign veto' }).click();
  await expectText(vetoCard().locator('.outcome.ok'), 'stored: 1 of 2');

  await useAccount(devnet.owners[1]!.privateKey);
  await expectText(page.locator('.wallet-bar'), devnet.owners[1]!.address.slice(0, 6));
  await vetoCard().getByRole('button', { name: 'Sign veto' }).click();
  await expectText(vetoCard().locator('.outcome.ok'), 'stored: 2 of 2');

  // ready (the desk has no executor): owner 2 executes it from the wallet
  const execute = vetoCard().getByRole('button', { name: 'Execute veto' });
  await execute.waitFor({ timeout: 20_000 });
  await execute.click();
  await expectText(vetoCard().locator('.outcome.ok'), 'execTransaction sent');
  await waitFor('the veto on chain', async () => (await slasherStatus(id)) === 'Cancelled', 20_000, 200);
  // the page follows by itself (SSE → re-fetch)
  await expectText(page.locator('#request-title'), 'Vetoed', 20_000);
  expect(wallet.calls).toEqual(expect.arrayContaining(['eth_requestAccounts', 'eth_signTypedData_v4', 'eth_sendTransaction']));
  await expectText(page.locator('.timeline'), 'Vetoed on chain');
  // every entry has a time; chain events have their block too
  await expect(page.locator('.timeline').textContent()).resolves.not.toContain('time unknown');
  await expectText(page.locator('.timeline li.tl-queued .tl-when'), 'block');
  await expectText(page.locator('.timeline'), `Veto signed by ${devnet.owners[0]!.address}`);
  // the desk notices the member's execution (ExecutionSuccess) and settles the veto
  await expectText(vetoCard().locator('.badge'), 'executed', 20_000);
  await expect(vetoCard().getByRole('button', { name: 'Execute veto' }).count()).resolves.toBe(0);

  await page.screenshot({ path: path.join(SCREENSHOTS, 'request-desktop.png'), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'request-phone.png'), fullPage: true });
  await page.setViewportSize(DESKTOP);
});

it('signs two vetoes out of order around an unsigned one; the blocked one shows why and its way out lands it', async () => {
  // three requests; the middle one is let pass (nobody signs it)
  const x = (await devnet.queue({ description: 'e2e: X, vetoed second' })).requestId;
  const y = (await devnet.queue({ description: 'e2e: Y, let pass' })).requestId;
  const z = (await devnet.queue({ description: 'e2e: Z, signed first, by one owner only' })).requestId;
  await page.goto(`${desk.url}/`);
  for (const id of [x, y, z]) await page.locator(`tr[data-request-id="${id}"]`).waitFor({ timeout: 20_000 });

  const sign = async (id: bigint, owner: number, expect: string) => {
    await useAccount(devnet.owners[owner]!.privateKey);
    await page.goto(`${desk.url}/requests/${id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(`Request #${id}`) }).waitFor();
    if (await page.getByRole('button', { name: 'Connect wallet' }).count()) await page.getByRole('button', { name: 'Connect wallet' }).click();
    await expectText(page.locator('.wallet-bar'), devnet.owners[owner]!.address.slice(0, 6));
    await vetoCard().getByRole('button', { name: 'Sign veto' }).click();
    await expectText(vetoCard().locator('.outcome.ok'), expect);
  };
  // out of order: Z first (its signature fixes it at the Safe's next nonce), then X
  await sign(z, 0, 'stored: 1 of 2');
  await sign(x, 0, 'stored: 1 of 2');
  await sign(x, 1, 'stored: 2 of 2');
  // X has its threshold but Z, signed by one owner only, holds the lower nonce: said at once
  const box = vetoCard().locator('.blocked-box');
  await expectText(box, 'Blocked: the threshold is met', 20_000);
  await expectText(box, `veto of request ${z}`);
  // it cannot execute from a wallet either (the Safe would refuse it): the button says why it is off
  await expect(vetoCard().getByRole('button', { name: 'Execute veto' }).isDisabled()).resolves.toBe(true);
  // …and on top of the board
  await page.goto(`${desk.url}/`);
  const first = page.locator('table.board tbody tr').first();
  await expect(first.getAttribute('data-request-id')).resolves.toBe(String(x));
  await expectText(first, 'veto blocked by nonce');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'board-blocked-desktop.png'), fullPage: true });

  // the way out: sign X again at the blocking nonce (two owners), then execute it from the wallet
  await page.goto(`${desk.url}/requests/${x}`);
  await page.getByRole('heading', { level: 1, name: new RegExp(`Request #${x}`) }).waitFor();
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await expectText(page.locator('.wallet-bar'), devnet.owners[1]!.address.slice(0, 6));
  const again = () => vetoCard().getByRole('button', { name: /^Sign this veto again at nonce/ });
  await again().click();
  await expectText(vetoCard().locator('.outcome.ok'), 'signed: 1 of 2');
  await useAccount(devnet.owners[0]!.privateKey);
  await expectText(page.locator('.wallet-bar'), devnet.owners[0]!.address.slice(0, 6));
  await again().click();
  await expectText(vetoCard().locator('.outcome.ok'), 'signed: 2 of 2');
  const execute = vetoCard().getByRole('button', { name: 'Execute veto' });
  await execute.waitFor({ timeout: 20_000 });
  await execute.click();
  await waitFor('X vetoed on chain', async () => (await slasherStatus(x)) === 'Cancelled', 20_000, 200);
  await expectText(page.locator('#request-title'), 'Vetoed', 20_000);
  expect(await slasherStatus(y)).toBe('Requested');
});

it("refuses a non-owner's veto signature with a readable message", async () => {
  const id = devnet.seeded.open[0]!;
  await page.goto(`${desk.url}/requests/${id}`);
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await useAccount(stranger.privateKey);
  await expectText(page.locator('.wallet-bar'), stranger.address.slice(0, 6));
  await vetoCard().getByRole('button', { name: 'Sign veto' }).click();
  const alert = vetoCard().getByRole('alert');
  await expectText(alert, 'The veto signature was refused');
  await expectText(alert, 'not an owner of the committee Safe');
  await expectText(alert, 'SIGNER_NOT_OWNER');
});

it('signs in with Ethereum; an owner writes a note, a non-owner is refused', async () => {
  const id = devnet.seeded.open[0]!;
  await useAccount(devnet.owners[0]!.privateKey);
  await page.getByRole('banner').getByRole('button', { name: 'Sign in with Ethereum' }).click();
  await expectText(page.locator('.wallet-bar .session'), 'owner');
  await notesCard().getByLabel('Note').fill('Evidence reviewed: the double-sign is real. Do not veto.');
  await notesCard().getByLabel(/Evidence links/).fill('https://example.org/evidence/88\nhttps://example.org/report.pdf');
  await notesCard().getByRole('button', { name: 'Add note' }).click();
  await expectText(notesCard().locator('.notes'), 'Evidence reviewed: the double-sign is real.');
  await expect(notesCard().getByRole('link', { name: 'https://example.org/report.pdf' }).count()).resolves.toBe(1);

  await page.screenshot({ path: path.join(SCREENSHOTS, 'request-notes-desktop.png'), fullPage: true });

  await page.locator('.wallet-bar .session').getByRole('button', { name: 'Sign out' }).click();
  await useAccount(stranger.privateKey);
  await page.getByRole('banner').getByRole('button', { name: 'Sign in with Ethereum' }).click();
  await expectText(page.locator('.wallet-bar .session'), 'not an owner');
  await notesCard().getByLabel('Note').fill('I am not on the committee');
  await notesCard().getByRole('button', { name: 'Add note' }).click();
  const alert = notesCard().getByRole('alert');
  await expectText(alert, 'The note was not saved');
  await expectText(alert, 'is not a current owner of the committee Safe');
  await expectText(alert, 'NOT_AN_OWNER');
  expect(wallet.calls).toContain('personal_sign');
  const notes = (await (await fetch(`${desk.url}/api/requests/${id}/notes`)).json()) as { notes: { author: string }[] };
  expect(notes.notes.map((n) => n.author)).toEqual([devnet.owners[0]!.address]);
});

it('wrote the screenshots', () => {
  for (const name of ['board-desktop', 'board-phone', 'board-blocked-desktop', 'request-desktop', 'request-phone', 'request-notes-desktop']) {
    const file = path.join(SCREENSHOTS, `${name}.png`);
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    expect(fs.readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
  }
});

/** "≈ 6 min 37 s (estimate)" → 397 */
function parseDuration(text: string): number {
  let s = 0;
  for (const [, n, unit] of text.matchAll(/(\d+) (d|h|min|s)\b/g)) s += Number(n) * { d: 86400, h: 3600, min: 60, s: 1 }[unit as 'd' | 'h' | 'min' | 's'];
  return s;
}

/** Waits until the locator's text contains `text`; fails with what it did show. */
async function expectText(locator: ReturnType<Page['locator']>, text: string, timeout = 10_000): Promise<void> {
  try {
    await locator.filter({ hasText: text }).first().waitFor({ timeout });
  } catch {
    const shown = await locator.first().textContent({ timeout: 1000 }).catch(() => '(nothing)');
    throw new Error(`expected ${JSON.stringify(text)} in ${locator.toString()}; it shows: ${shown?.slice(0, 600)}`);
  }
}
