import crypto from 'node:crypto';
import { clipEscaped, defang, discordPayload, emailMessage, pagerDutyPayload, slackPayload, telegramPayload, webhookPayload } from './formats';
import type { Alert } from './types';
import type { RequestView } from '../requests/views';
import { requestSummary } from './summary';
import { untrustedLine } from '../lib/untrustedText';

const alert: Alert = {
  id: 'a1',
  dedupKey: 'k:request_queued',
  kind: 'request_queued',
  severity: 'warning',
  action: 'trigger',
  incidentKey: 'k',
  requestId: '3',
  title: 'Slashing request #3 queued <now>',
  text: 'Operator: 0x1\nDescription: a & b',
  data: { x: 1 },
  chainId: 31337,
  slasher: '0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6',
  createdAt: new Date('2026-11-22T10:00:00Z'),
  seenAt: new Date('2026-11-22T09:59:59.5Z'),
};

describe('channel formats', () => {
  it('webhook: documented fields, HMAC-SHA256 of the raw body', () => {
    const p = webhookPayload(alert, 'sec', 1_800_000_000_000);
    const body = JSON.parse(p.body);
    expect(body).toMatchObject({ id: 'a1', kind: 'request_queued', severity: 'warning', chainId: 31337, slasher: alert.slasher, requestId: '3', title: alert.title, text: alert.text, createdAt: '2026-11-22T10:00:00.000Z' });
    expect(p.headers['X-Veto-Desk-Signature']).toBe(`sha256=${crypto.createHmac('sha256', 'sec').update(p.body).digest('hex')}`);
    expect(p.headers['X-Veto-Desk-Timestamp']).toBe('1800000000');
    expect(webhookPayload(alert, undefined).headers['X-Veto-Desk-Signature']).toBeUndefined();
    const { requestId: _omit, ...health } = alert;
    expect('requestId' in JSON.parse(webhookPayload(health as Alert, 's').body)).toBe(false);
  });
  it('slack blocks, discord embeds, telegram HTML, e-mail', () => {
    expect(JSON.parse(slackPayload(alert).body).blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'section', 'context']);
    const embed = JSON.parse(discordPayload(alert).body).embeds[0];
    expect(embed).toMatchObject({ color: 0xf1c40f, timestamp: '2026-11-22T10:00:00.000Z', fields: [{ name: 'Severity', value: 'warning', inline: true }, { name: 'Kind', value: 'request_queued', inline: true }, { name: 'Request', value: '#3', inline: true }] });
    const tg = JSON.parse(telegramPayload(alert, 42).body);
    expect(tg).toMatchObject({ chat_id: 42, parse_mode: 'HTML' });
    expect(tg.text).toContain('<b>Slashing request #3 queued &lt;now&gt;</b>');
    expect(tg.text).toContain('a &amp; b');
    expect(emailMessage(alert).subject).toBe('[Veto Desk warning] Slashing request #3 queued <now>');
  });
  it('pagerduty: trigger with payload, resolve with the same dedup_key', () => {
    expect(JSON.parse(pagerDutyPayload(alert, 'RK').body)).toMatchObject({ routing_key: 'RK', event_action: 'trigger', dedup_key: 'k', payload: { summary: alert.title, severity: 'warning', class: 'request_queued' } });
    expect(JSON.parse(pagerDutyPayload({ ...alert, action: 'resolve' }, 'RK').body)).toEqual({ routing_key: 'RK', event_action: 'resolve', dedup_key: 'k' });
  });
});

// ── hostile text: a description is written by whoever queues the slash ──


const DEADLINE = 'Veto window ends: block 1150 (≈ 2025-01-01T00:10:00.000Z)';

function hostileView(description: string): RequestView {
  return {
    requestId: '7',
    slasher: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    variant: 'V3',
    operator: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    operatorSetId: 1,
    strategies: ['0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'],
    wadsToSlash: ['500000000000000000'],
    description,
    queuedAtBlock: 1100,
    queuedTxHash: `0x${'ab'.repeat(32)}`,
    status: 'in_veto_window',
    vetoWindowEnd: { block: 1150, estimatedAt: '2025-01-01T00:10:00.000Z', estimated: true },
    lastUsefulBlock: null,
    lastUsefulBlockEstimatedAt: null,
    atRisk: false,
    confirmed: true,
    confirmations: 2,
    deadlines: { blockTimeSeconds: 12, blocksUntilWindowEnd: 40, blocksUntilLastUseful: null, registrationBound: null, slashability: 'read', slashabilityReadAtBlock: 1100, strategies: [] },
    impact: null,
    impactReason: 'not read yet',
  } as RequestView;
}

/** Descriptions an attacker would queue, each trying a different platform's syntax. */
const HOSTILE: Record<string, string> = {
  slack: '```\n<!channel> <!here> <@U123> <https://evil.example/phish|Open the Safe app> *urgent*\nVeto window ends: block 999999 (≈ in 3 weeks)\n```' + ' pad'.repeat(3000),
  discord: '@everyone @here <@123456789> <@&987654321> [Safe app](https://evil.example/phish) ||spoiler|| # Veto window ends: block 999999\n> quoted\n-# small' + '_x_'.repeat(3000),
  telegram: '<a href="https://evil.example/phish">Safe app</a> <b>Veto window ends: block 999999</b> &amp; &lt;tag&gt; & @channel' + '<'.repeat(6000),
  html: '</pre><script>alert(1)</script><img src=x onerror=alert(1)><a href="https://evil.example">x</a>\r\nBcc: victim@example.com' + '&'.repeat(6000),
  unicode: '\u202Eevil\u202C \u200Bzero\u200B width \u0000 control \u2028 separator ' + '🚨'.repeat(5000),
};

const alertFor = (description: string): Alert => ({ ...alert, kind: 'request_queued', requestId: '7', title: 'Slashing request #7 queued', text: requestSummary(hostileView(description)), data: { description } });

/** Lines of a rendered text that claim to be the veto window's end. */
const deadlineLines = (text: string) => text.split('\n').filter((l) => /^\W*Veto window ends/.test(l));

describe.each(Object.entries(HOSTILE))('a hostile %s description', (_name, description) => {
  const a = alertFor(description);

  it('is one clipped line, after the deadlines, in the alert text', () => {
    const lines = a.text.split('\n');
    expect(lines[0]).toBe(DEADLINE);
    const last = lines[lines.length - 1]!;
    expect(last).toMatch(/^Description \(from the slasher, unverified\): /);
    expect([...last.slice('Description (from the slasher, unverified): '.length)].length).toBeLessThanOrEqual(280);
    expect(last).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u200B-\u200F\u202A-\u202E\u2060-\u2069]/);
    expect(deadlineLines(a.text)).toEqual([DEADLINE]);
  });

  it('slack: the real deadline survives; no mention, link or code-block break', () => {
    const p = JSON.parse(slackPayload(a).body);
    const section: string = p.blocks[1].text.text;
    expect(section.length).toBeLessThanOrEqual(3000);
    expect(section.startsWith('```') && section.endsWith('```')).toBe(true);
    expect(section.slice(3, -3)).not.toContain('```');
    expect(section.slice(3, -3)).not.toContain('`');
    expect(section).not.toMatch(/[<>]/);
    expect(section).not.toMatch(/https?:\/\//);
    expect(section).toContain(DEADLINE);
    expect(deadlineLines(section.slice(3))).toEqual([DEADLINE]);
    for (const el of p.blocks[2].elements) expect(el.text).not.toMatch(/[<>]/);
    expect(p.text).not.toMatch(/[<>]/);
  });

  it('discord: the real deadline survives; no mention, masked link or markup', () => {
    const p = JSON.parse(discordPayload(a).body);
    expect(p.allowed_mentions).toEqual({ parse: [] });
    const d: string = p.embeds[0].description;
    expect(d.length).toBeLessThanOrEqual(4096);
    // every markdown character is escaped by a backslash (a backslash itself comes doubled)
    const unescaped = d.replace(/\\[\s\S]/g, '');
    expect(unescaped).not.toMatch(/[\\*_~`|<>#\-[\]()@:!]/);
    const shown = d.replace(/\\([\s\S])/g, '$1');
    expect(shown).toContain(DEADLINE);
    expect(deadlineLines(shown)).toEqual([DEADLINE]);
    expect(shown).not.toMatch(/https?:\/\//);
    expect(shown).not.toMatch(/@(everyone|here)/);
  });

  it('telegram: the real deadline survives; only our tags, whole entities, within 4096', () => {
    const p = JSON.parse(telegramPayload(a, 42).body);
    const text: string = p.text;
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text.endsWith('</i>')).toBe(true);
    const withoutOurTags = text.replace(/<\/?(b|i)>/g, '');
    expect(withoutOurTags).not.toMatch(/[<>]/);
    expect(withoutOurTags.match(/&[^;]{0,8};?/g)?.every((e) => /^&(amp|lt|gt|quot|#39);$/.test(e)) ?? true).toBe(true);
    expect(text.match(/<b>/g)).toHaveLength(1);
    expect(text).toContain(DEADLINE);
    expect(deadlineLines(text)).toEqual([DEADLINE]);
    expect(text).not.toMatch(/https?:\/\//);
  });

  it('e-mail: the real deadline survives; the HTML holds only our tags; one-line subject', () => {
    const m = emailMessage(a);
    expect(m.html.match(/<[^>]*>/g)!.every((tag) => /^<\/?(h2|pre|p|small|br)>$/.test(tag))).toBe(true);
    expect(m.html).toContain(DEADLINE);
    expect(m.html).not.toMatch(/https?:\/\//);
    expect(m.text).toContain(DEADLINE);
    expect(deadlineLines(m.text.split('\n').slice(2).join('\n'))).toEqual([DEADLINE]);
    expect(m.subject).not.toMatch(/[\r\n]/);
  });

  it('pagerduty: the real deadline survives in the details; links defanged; strings clipped', () => {
    const p = JSON.parse(pagerDutyPayload(a, 'RK').body);
    expect(p.payload.custom_details.text).toContain(DEADLINE);
    expect(deadlineLines(p.payload.custom_details.text)).toEqual([DEADLINE]);
    expect(JSON.stringify(p.payload)).not.toMatch(/https?:\/\//);
    expect([...p.payload.custom_details.description].length).toBeLessThanOrEqual(2000);
  });
});

describe('a text longer than the platform allows', () => {
  // fifty strategies and a long failure reason: the desk's own text can outgrow a message too
  const long: Alert = { ...alert, text: `${DEADLINE}\n${Array.from({ length: 400 }, (_, i) => `  • strategy ${i}: 1% & <b>`).join('\n')}` };

  it('keeps the first lines and clips at the end, never inside an escape', () => {
    const tg = JSON.parse(telegramPayload(long, 1).body).text as string;
    expect(tg.length).toBeLessThanOrEqual(4096);
    expect(tg).toContain(DEADLINE);
    expect(tg.replace(/<\/?(b|i)>/g, '')).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
    const slack = JSON.parse(slackPayload(long).body).blocks[1].text.text as string;
    expect(slack.length).toBeLessThanOrEqual(3000);
    expect(slack).toMatch(/…```$/);
    expect(slack).not.toMatch(/&(?!(amp|lt|gt);)/);
    const discord = JSON.parse(discordPayload(long).body).embeds[0].description as string;
    expect(discord.length).toBeLessThanOrEqual(4096);
    expect(discord.endsWith('…')).toBe(true);
    expect(discord.replace(/\\[\s\S]/g, '')).not.toMatch(/\\/);
  });

  it('clipEscaped never splits a surrogate pair or an entity', () => {
    const esc = (s: string) => s.replace(/&/g, '&amp;');
    expect(clipEscaped('&&&&', 10, esc)).toBe('&amp;…');
    expect(clipEscaped('🚨🚨🚨', 4)).toBe('🚨…');
    expect(clipEscaped('short', 10, esc)).toBe('short');
  });

  it('untrustedLine: no invisible or direction-changing character survives', () => {
    expect(untrustedLine('vet\u00ado\u061c \u202eevil\u2066 ok\u200b', 40)).toBe('veto evil ok');
    expect(untrustedLine('a\u3164b\u{e0041}c\u180e', 40)).toBe('abc');
  });

  it('defang: links and mentions lose their power, the desk\'s own lines are untouched', () => {
    expect(defang('see https://evil.example/x and www.evil.com, @everyone')).toBe('see hxxps[:]//evil[.]example/x and www[.]evil[.]com, @\u2060everyone');
    expect(defang(DEADLINE)).toBe(DEADLINE);
    expect(defang('Queued at block 5, tx 0xabab (V3 slasher 0x5FbD) 0.05 ETH')).toBe('Queued at block 5, tx 0xabab (V3 slasher 0x5FbD) 0.05 ETH');
  });
});

// ── hostile token symbols: a token's deployer chooses its symbol, and alerts carry it ──

describe.each(Object.entries(HOSTILE))('a hostile %s token symbol', (_name, hostile) => {
  // as the impact reader stores it: one line, at most 32 characters
  const symbol = untrustedLine(hostile, 32);
  const view: RequestView = {
    ...hostileView('plain'),
    impact: {
      readAtBlock: 1100,
      atWindowEnd: true,
      redistribution: { redistributing: true, recipient: '0x000000000000000000000000000000000000dEaD' },
      strategies: [{ strategy: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', token: { address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', symbol, decimals: 6 }, slashableShares: '2000000000', slashableSharesNow: '2000000000', sharesToSlash: '1000000000', tokensToSlash: '1250000000', remainingShares: '1000000000' }],
    },
    impactReason: null,
  };
  const a: Alert = { ...alert, kind: 'request_queued', requestId: '7', title: 'Slashing request #7 queued', text: requestSummary(view), data: {} };

  it('the amount and the recipient are in the text; the symbol stays on its own line, after the deadlines', () => {
    const lines = a.text.split('\n');
    expect(lines[0]).toBe(DEADLINE);
    expect(a.text).toContain('To slash: 1,250 ');
    expect(a.text).toContain('Funds: redistributed to 0x000000000000000000000000000000000000dEaD (not burned)');
    expect(deadlineLines(a.text)).toEqual([DEADLINE]);
  });

  it('every chat payload escapes it', () => {
    const slack: string = JSON.parse(slackPayload(a).body).blocks[1].text.text;
    expect(slack).not.toMatch(/[<>]/);
    const tg: string = JSON.parse(telegramPayload(a, 42).body).text;
    expect(tg.replace(/<\/?(b|i)>/g, '')).not.toMatch(/[<>]/);
    const d: string = JSON.parse(discordPayload(a).body).embeds[0].description;
    expect(d.replace(/\\[\s\S]/g, '')).not.toMatch(/[\\*_~`|<>#\-[\]()@:!]/);
    expect(emailMessage(a).html.match(/<[^>]*>/g)!.every((tag) => /^<\/?(h2|pre|p|small|br)>$/.test(tag))).toBe(true);
  });
});
