import crypto from 'node:crypto';
import { discordPayload, emailMessage, pagerDutyPayload, slackPayload, telegramPayload, webhookPayload } from './formats';
import type { Alert } from './types';

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
