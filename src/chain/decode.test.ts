/**
 * The hand-written decoder against viem's `decodeEventLog({ strict: true })`, which is what
 * decodeSlasherLog was before (kept below as `reference`, verbatim): the same output for every
 * well-formed log, and LOG_MALFORMED for every malformed one — wherever viem threw, and also
 * where viem returned a silently wrong value (dirty address padding, a uint32 above 2^32 − 1, …).
 */
import {
  decodeEventLog,
  encodeAbiParameters,
  encodeEventTopics,
  getAddress,
  hexToNumber,
  toEventSelector,
  type AbiParameter,
  type Address,
  type Hex,
} from 'viem';
import { slasherOperatorSlashed, slashingRequestCancelled, slashingRequestedV1, slashingRequestedV2, TOPIC } from './abis';
import { decodeSlasherLog, type SlasherLog } from './decode';
import type { RawLog } from './logs';
import { DeskError } from '../errors';

// ── the previous implementation, the reference ───────────────────────────────────────────────

function referencePosition(l: RawLog) {
  return { blockNumber: hexToNumber(l.blockNumber), blockHash: l.blockHash, txHash: l.transactionHash, logIndex: hexToNumber(l.logIndex) };
}

function reference(l: RawLog): SlasherLog | null {
  const t0 = l.topics[0];
  if (t0 === TOPIC.SlashingRequested) {
    const abi = l.topics.length === 4 ? slashingRequestedV1 : slashingRequestedV2;
    const { args } = decodeEventLog({ abi: [abi], topics: l.topics as [Hex, ...Hex[]], data: l.data, strict: true });
    return {
      ...referencePosition(l),
      kind: 'queued',
      requestId: args.requestId,
      operator: getAddress(args.operator),
      operatorSetId: Number(args.operatorSetId),
      wadsToSlash: [...args.wadsToSlash],
      description: args.description,
      topicCount: l.topics.length,
    };
  }
  if (t0 === TOPIC.SlashingRequestCancelled) {
    const { args } = decodeEventLog({ abi: [slashingRequestCancelled], topics: l.topics as [Hex, ...Hex[]], data: l.data, strict: true });
    return { ...referencePosition(l), kind: 'cancelled', requestId: args.requestId };
  }
  if (t0 === TOPIC.OperatorSlashed) {
    const { args } = decodeEventLog({ abi: [slasherOperatorSlashed], topics: l.topics as [Hex, ...Hex[]], data: l.data, strict: true });
    return { ...referencePosition(l), kind: 'slashed', id: args.slashingRequestId, operator: getAddress(args.operator), operatorSetId: Number(args.operatorSetId) };
  }
  return null;
}

// ── generated logs ───────────────────────────────────────────────────────────────────────────

/** mulberry32: the same logs on every run */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(0x5eed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const randomHex = (bytes: number) => Array.from({ length: bytes }, () => Math.floor(rand() * 256).toString(16).padStart(2, '0')).join('');
const randomUint = (bits: number) => BigInt(`0x${randomHex(bits / 8)}`);

const MAX256 = 2n ** 256n - 1n;
const IDS = [0n, 1n, 2n, 255n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 64n, 2n ** 128n - 1n, 2n ** 255n, MAX256];
const SET_IDS = [0, 1, 255, 256, 65_535, 65_536, 2 ** 24, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1];
const WADS = [0n, 1n, 10n ** 18n, 5n * 10n ** 17n, 2n ** 64n, 2n ** 255n, MAX256];
const OPERATORS: Address[] = [
  '0x0000000000000000000000000000000000000000',
  '0xffffffffffffffffffffffffffffffffffffffff',
  '0x0000000000000000000000000000000000000001',
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
];
const DESCRIPTIONS = [
  '',
  'a',
  'x'.repeat(31),
  'x'.repeat(32),
  'x'.repeat(33),
  'y'.repeat(64),
  'slash operator for missing attestations in epochs 1200–1260; evidence: ipfs://bafy…',
  'z'.repeat(1_000),
  'é',
  'ñandú — Müller — Øresund',
  '罰金を科す 運営者',
  '🙂',
  '🔥 slashed 🔥',
  'x'.repeat(31) + '🙂', // the emoji straddles the first 32-byte word
  'x'.repeat(30) + 'é' + 'é', // a 2-byte char straddles it too
  '\u0000',
  'trailing nuls\u0000\u0000',
  'a\nb\tc "quoted" \\ back',
  '\uFEFFstarts with a BOM', // TextDecoder (viem) drops a leading BOM
  'mid \uFEFF BOM',
];

function randomDescription(): string {
  if (rand() < 0.5) return pick(DESCRIPTIONS);
  const alphabet = ['a', 'B', '7', ' ', 'é', 'ß', '中', '🙂', '👩‍👩‍👧', '\u0000'];
  return Array.from({ length: Math.floor(rand() * 80) }, () => pick(alphabet)).join('');
}
const randomWads = (): bigint[] => Array.from({ length: Math.floor(rand() * 6) }, () => (rand() < 0.5 ? pick(WADS) : randomUint(256)));
const randomId = (): bigint => (rand() < 0.5 ? pick(IDS) : randomUint(256));
const randomSetId = (): number => (rand() < 0.5 ? pick(SET_IDS) : Number(randomUint(32)));
const randomOperator = (): Address => (rand() < 0.3 ? pick(OPERATORS) : getAddress(`0x${randomHex(20)}`));

let logCounter = 0;
function at(): Omit<RawLog, 'topics' | 'data'> {
  const n = logCounter++;
  return {
    address: '0x1234567890123456789012345678901234567890',
    blockNumber: `0x${(1_000_000 + n).toString(16)}`,
    blockHash: `0x${randomHex(32)}`,
    transactionHash: `0x${randomHex(32)}`,
    logIndex: `0x${(n % 300).toString(16)}`,
  };
}

/** as eth_getLogs hands them over: plain JSON, flat strings */
const asRpc = (l: RawLog): RawLog => JSON.parse(JSON.stringify(l)) as RawLog;

interface Fields {
  id: bigint;
  operator: Address;
  operatorSetId: number;
  wads: bigint[];
  description: string;
}
function random(): Fields {
  return { id: randomId(), operator: randomOperator(), operatorSetId: randomSetId(), wads: randomWads(), description: randomDescription() };
}

/** the event's data: its non-indexed inputs, ABI-encoded */
const dataOf = (event: { inputs: readonly AbiParameter[] }, values: readonly unknown[]) =>
  encodeAbiParameters(event.inputs.filter((x) => !('indexed' in x && x.indexed)), values as never);

function v1Log(f: Fields): RawLog {
  const topics = encodeEventTopics({ abi: [slashingRequestedV1], args: { requestId: f.id, operator: f.operator, operatorSetId: f.operatorSetId } }) as Hex[];
  return asRpc({ ...at(), topics, data: dataOf(slashingRequestedV1, [f.wads, f.description]) });
}
function v2Log(f: Fields): RawLog {
  const topics = encodeEventTopics({ abi: [slashingRequestedV2], args: { requestId: f.id, operator: f.operator } }) as Hex[];
  return asRpc({ ...at(), topics, data: dataOf(slashingRequestedV2, [f.operatorSetId, f.wads, f.description]) });
}
function slashedLog(f: Fields): RawLog {
  const topics = encodeEventTopics({ abi: [slasherOperatorSlashed], args: { slashingRequestId: f.id, operator: f.operator, operatorSetId: f.operatorSetId } }) as Hex[];
  return asRpc({ ...at(), topics, data: dataOf(slasherOperatorSlashed, [f.wads, f.description]) });
}
function cancelledLog(f: Pick<Fields, 'id'>): RawLog {
  const topics = encodeEventTopics({ abi: [slashingRequestCancelled], args: { requestId: f.id } }) as Hex[];
  return asRpc({ ...at(), topics, data: '0x' });
}

const LAYOUTS = { v1: v1Log, v2: v2Log, slashed: slashedLog, cancelled: cancelledLog } as const;

function expectSame(l: RawLog): SlasherLog | null {
  const want = reference(l);
  const got = decodeSlasherLog(l);
  expect(got).toStrictEqual(want);
  return got;
}

// ── well-formed logs: the same output as viem ────────────────────────────────────────────────

describe('decodeSlasherLog matches viem decodeEventLog on well-formed logs', () => {
  it('the TOPIC constants are the selectors of the ABI items the layouts come from', () => {
    expect(toEventSelector(slashingRequestedV1)).toBe(TOPIC.SlashingRequested);
    expect(toEventSelector(slashingRequestedV2)).toBe(TOPIC.SlashingRequested);
    expect(toEventSelector(slashingRequestCancelled)).toBe(TOPIC.SlashingRequestCancelled);
    expect(toEventSelector(slasherOperatorSlashed)).toBe(TOPIC.OperatorSlashed);
  });

  it.each(Object.keys(LAYOUTS) as (keyof typeof LAYOUTS)[])('%s: every edge value', (layout) => {
    const make = LAYOUTS[layout];
    const base = random();
    for (const id of IDS) expectSame(make({ ...base, id }));
    for (const operatorSetId of SET_IDS) expectSame(make({ ...base, operatorSetId }));
    for (const operator of OPERATORS) expectSame(make({ ...base, operator }));
    for (const description of DESCRIPTIONS) expectSame(make({ ...base, description }));
    for (let n = 0; n <= 5; n++) {
      expectSame(make({ ...base, wads: WADS.slice(0, n) }));
      expectSame(make({ ...base, wads: Array.from({ length: n }, () => MAX256) }));
    }
  });

  it.each(Object.keys(LAYOUTS) as (keyof typeof LAYOUTS)[])('%s: 400 random logs', (layout) => {
    for (let k = 0; k < 400; k++) expectSame(LAYOUTS[layout](random()));
  });

  it('decodes the fields themselves (not only whatever viem says)', () => {
    const f: Fields = { id: MAX256, operator: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', operatorSetId: 2 ** 32 - 1, wads: [0n, MAX256], description: 'x'.repeat(31) + '🙂' };
    for (const make of [v1Log, v2Log]) {
      const l = make({ ...f, operator: f.operator.toLowerCase() as Address });
      expect(decodeSlasherLog(l)).toMatchObject({
        kind: 'queued',
        requestId: MAX256,
        operator: f.operator,
        operatorSetId: 2 ** 32 - 1,
        wadsToSlash: [0n, MAX256],
        description: f.description,
        topicCount: make === v1Log ? 4 : 3,
        blockNumber: hexToNumber(l.blockNumber),
        logIndex: hexToNumber(l.logIndex),
        blockHash: l.blockHash,
        txHash: l.transactionHash,
      });
    }
    expect(decodeSlasherLog(slashedLog(f))).toMatchObject({ kind: 'slashed', id: MAX256, operator: f.operator, operatorSetId: 2 ** 32 - 1 });
    expect(decodeSlasherLog(cancelledLog(f))).toMatchObject({ kind: 'cancelled', requestId: MAX256 });
  });

  it('returns a fresh wadsToSlash array each time', () => {
    const l = v2Log({ ...random(), wads: [1n, 2n] });
    const a = decodeSlasherLog(l) as Extract<SlasherLog, { kind: 'queued' }>;
    a.wadsToSlash.push(3n);
    expect((decodeSlasherLog(l) as Extract<SlasherLog, { kind: 'queued' }>).wadsToSlash).toEqual([1n, 2n]);
  });

  it('uppercase hex digits in topics and data decode the same as in viem', () => {
    for (const make of [v1Log, v2Log, slashedLog, cancelledLog]) {
      const l = make(random());
      const upper = { ...l, topics: [l.topics[0]!, ...l.topics.slice(1).map((t) => `0x${t.slice(2).toUpperCase()}` as Hex)], data: `0x${l.data.slice(2).toUpperCase()}` as Hex };
      expectSame(upper);
    }
  });

  it('invalid UTF-8 in the description decodes as viem does (U+FFFD replacement, BOM dropped)', () => {
    const sequences = ['ff', 'fe', 'c328', 'a0a1', 'e228a1', 'e282', 'f09f98', 'c0af', 'eda080', 'f4908080', 'efbbbf41', '41efbbbf', '00ff00', 'f09f9982'];
    for (const make of [v1Log, v2Log, slashedLog]) {
      for (const bytes of sequences) {
        // an ASCII placeholder of the same byte length, then its bytes replaced in the encoded data
        const placeholder = 'q'.repeat(bytes.length / 2);
        const l = make({ ...random(), description: placeholder });
        const hexPlaceholder = Buffer.from(placeholder).toString('hex');
        const i = l.data.lastIndexOf(hexPlaceholder);
        const patched = { ...l, data: `${l.data.slice(0, i)}${bytes}${l.data.slice(i + bytes.length)}` as Hex };
        const got = expectSame(patched);
        if (got?.kind === 'queued') expect(got.description).toBe(new TextDecoder().decode(Buffer.from(bytes, 'hex')));
      }
    }
  });

  it('a description of exactly the remaining bytes (no padding after it) is accepted, as viem does', () => {
    const l = v2Log({ ...random(), description: 'abc' });
    const unpadded = { ...l, data: l.data.slice(0, l.data.length - 2 * 29) as Hex };
    expect(expectSame(unpadded)).toMatchObject({ description: 'abc' });
  });

  it('offsets need not follow the usual order: a description placed before the wads decodes as viem does', () => {
    // (uint32 setId, wads offset = 0xa0, description offset = 0x60) | desc len 3 "abc" | wads len 2, 7, 8
    const words = [
      7n, 0xa0n, 0x60n, 3n, BigInt(`0x${Buffer.from('abc').toString('hex').padEnd(64, '0')}`), 2n, 7n, 8n,
    ].map((w) => w.toString(16).padStart(64, '0'));
    const l = { ...v2Log(random()), data: `0x${words.join('')}` as Hex };
    expect(expectSame(l)).toMatchObject({ operatorSetId: 7, wadsToSlash: [7n, 8n], description: 'abc' });
  });

  it('returns null for other topic0s and for logs without topics, as before', () => {
    for (const topics of [[], [TOPIC.AllocationUpdated], [`0x${'00'.repeat(32)}`], [TOPIC.SlashingRequested.toUpperCase().replace('0X', '0x')]] as Hex[][]) {
      const l = { ...v2Log(random()), topics };
      expect(decodeSlasherLog(l)).toBeNull();
      expect(reference(l)).toBeNull();
    }
  });

  it('checksums correctly across more distinct operators than its cache holds', () => {
    const base = slashedLog({ ...fixed, wads: [] });
    for (let k = 0; k < 10_050; k++) {
      const operator = getAddress(`0x${randomHex(20)}`);
      const topics = [base.topics[0]!, base.topics[1]!, `0x${'00'.repeat(12)}${operator.slice(2)}` as Hex, base.topics[3]!];
      const got = decodeSlasherLog({ ...base, topics });
      if (got?.kind !== 'slashed' || got.operator !== operator) throw new Error(`operator ${operator} decoded as ${JSON.stringify(got, (_, v) => (typeof v === 'bigint' ? `${v}` : v))}`);
    }
    // the first ones again, after the cache was cleared
    expectSame(slashedLog({ ...random(), operator: OPERATORS[3]! }));
  });
});

// ── malformed logs: LOG_MALFORMED, never a silent wrong value ─────────────────────────────────

/** the data as 32-byte words (hex, no 0x) */
const words = (l: RawLog) => l.data.slice(2).match(/.{64}/g)!;
const word = (n: bigint) => n.toString(16).padStart(64, '0');
function withWord(l: RawLog, index: number, value: bigint): RawLog {
  const w = words(l);
  w[index] = word(value);
  return { ...l, data: `0x${w.join('')}` as Hex };
}
function withTopic(l: RawLog, index: number, topic: string): RawLog {
  const topics = [...l.topics];
  topics[index] = topic as Hex;
  return { ...l, topics };
}
const dirtyPadding = (topic: string, byte: number) => `0x${topic.slice(2, 2 + 2 * byte)}01${topic.slice(4 + 2 * byte)}`;

function expectMalformed(l: RawLog, message?: RegExp): void {
  let thrown: unknown;
  try {
    decodeSlasherLog(l);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(DeskError);
  expect((thrown as DeskError).code).toBe('LOG_MALFORMED');
  expect((thrown as DeskError).message).toContain(l.transactionHash);
  if (message) expect((thrown as DeskError).message).toMatch(message);
}

/** malformed for viem too: the previous decoder threw as well */
function expectBothReject(l: RawLog, message?: RegExp): void {
  expect(() => reference(l)).toThrow();
  expectMalformed(l, message);
}

const fixed: Fields = { id: 42n, operator: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', operatorSetId: 7, wads: [10n ** 18n, 2n], description: 'for cause' };
// data word indexes of `fixed` (wads offset, description offset, wads length, …):
//   V1 / OperatorSlashed: 0 wads off (0x40), 1 desc off (0xa0), 2 wads len, 3–4 wads, 5 desc len, 6 desc
//   V2:                   0 setId, 1 wads off (0x60), 2 desc off (0xc0), 3 wads len, 4–5 wads, 6 desc len, 7 desc
const LAYOUT_WORDS = {
  v1: { make: v1Log, head: 0, wadsLen: 2, descLen: 5 },
  v2: { make: v2Log, head: 1, wadsLen: 3, descLen: 6 },
  slashed: { make: slashedLog, head: 0, wadsLen: 2, descLen: 5 },
} as const;

describe('decodeSlasherLog rejects malformed logs with LOG_MALFORMED', () => {
  it('the layout word indexes used below are right', () => {
    for (const { make, head, wadsLen, descLen } of Object.values(LAYOUT_WORDS)) {
      const w = words(make(fixed)).map((x) => BigInt(`0x${x}`));
      expect(w[wadsLen]).toBe(2n);
      expect(w[descLen]).toBe(BigInt(fixed.description.length));
      expect(w[head]).toBe(BigInt(wadsLen * 32));
      expect(w[head + 1]).toBe(BigInt(descLen * 32));
    }
  });

  it('a topic count other than the layout’s', () => {
    const v2 = v2Log(fixed);
    const v1 = v1Log(fixed);
    const slashed = slashedLog(fixed);
    const cancelled = cancelledLog(fixed);
    // fewer topics than the layout: viem threw too
    expectBothReject({ ...v2, topics: v2.topics.slice(0, 2) }, /SlashingRequested.*2 topics/);
    expectBothReject({ ...v2, topics: v2.topics.slice(0, 1) }, /1 topics/);
    expectBothReject({ ...slashed, topics: slashed.topics.slice(0, 3) }, /OperatorSlashed.*3 topics/);
    expectBothReject({ ...cancelled, topics: cancelled.topics.slice(0, 1) }, /SlashingRequestCancelled.*1 topics/);
    // more topics than the layout (viem ignored the extra ones): no event of ours has them
    expectMalformed({ ...v1, topics: [...v1.topics, v1.topics[1]!] }, /5 topics/);
    expectMalformed({ ...slashed, topics: [...slashed.topics, slashed.topics[1]!] }, /5 topics/);
    expectMalformed({ ...cancelled, topics: [...cancelled.topics, cancelled.topics[1]!] }, /3 topics/);
  });

  it('a topic that is not a 32-byte hex word', () => {
    for (const make of [v1Log, v2Log, slashedLog, cancelledLog]) {
      const l = make(fixed);
      expectBothReject(withTopic(l, 1, '0x01'), /topic 1/);
      expectMalformed(withTopic(l, 1, `${l.topics[1]}00`), /topic 1/); // viem read the first 32 bytes
      expectBothReject(withTopic(l, 1, `0x${'zz'.repeat(32)}`), /topic 1/);
    }
  });

  it('dirty address padding (viem dropped the high 12 bytes silently)', () => {
    for (const make of [v1Log, v2Log, slashedLog]) {
      const l = make(fixed);
      for (const byte of [0, 5, 11]) expectMalformed(withTopic(l, 2, dirtyPadding(l.topics[2]!, byte)), /topic 2 \(address\) has non-zero padding/);
      expectMalformed(withTopic(l, 2, `0x${'ff'.repeat(32)}`), /padding/);
    }
  });

  it('a uint32 that does not fit in 32 bits (viem returned any number up to 2^53)', () => {
    for (const value of [2n ** 32n, 2n ** 40n, 2n ** 53n - 1n, 2n ** 53n, MAX256]) {
      expectMalformed(withTopic(v1Log(fixed), 3, `0x${word(value)}`), /topic 3 \(uint32\) does not fit/);
      expectMalformed(withTopic(slashedLog(fixed), 3, `0x${word(value)}`), /topic 3 \(uint32\) does not fit/);
      expectMalformed(withWord(v2Log(fixed), 0, value), /operatorSetId \(uint32\) does not fit/);
    }
  });

  it('data that is not even-length 0x-hex', () => {
    for (const make of [v1Log, v2Log, slashedLog]) {
      const l = make(fixed);
      expectBothReject({ ...l, data: '0x' }, /data is empty/);
      expectBothReject({ ...l, data: undefined as unknown as Hex }, /data is not 0x-prefixed hex/);
      expectBothReject({ ...l, data: `${l.data.slice(0, -2)}zz` as Hex }, /not 0x-prefixed hex/); // in the padding: still rejected, as viem does
      expectMalformed({ ...l, data: l.data.slice(0, -1) as Hex }, /odd number of hex digits/); // viem shifted every byte by a nibble
      expectMalformed({ ...l, data: `0X${l.data.slice(2)}` as Hex }, /not 0x-prefixed hex/);
    }
  });

  it('truncated data', () => {
    for (const [layout, { make, descLen }] of Object.entries(LAYOUT_WORDS)) {
      const l = make(fixed);
      expectBothReject({ ...l, data: l.data.slice(0, 2 + 62) as Hex }, /past the end|head alone/); // < 32 bytes
      expectBothReject({ ...l, data: l.data.slice(0, 2 + 64 * descLen) as Hex }, /description length.*past the end/); // up to the description length word
      expectBothReject({ ...l, data: l.data.slice(0, 2 + 64 * (descLen + 1) + 2 * 8) as Hex }, /description length 9 .* past the end/); // 8 of the 9 description bytes
      expectBothReject({ ...l, data: l.data.slice(0, 2 + 64 * 3) as Hex }, /past the end/); // into the wads
      if (layout === 'v2') {
        // the head itself cut: 64 bytes. viem decoded this as (setId, wads, description of the wads' offset word) when the words allowed it
        expectMalformed({ ...l, data: l.data.slice(0, 2 + 128) as Hex }, /data is 64 bytes; the head alone is 96/);
        const odd = { ...l, data: `0x${word(0n)}${word(0n)}` as Hex };
        expect(reference(odd)).toMatchObject({ operatorSetId: 0, wadsToSlash: [], description: '' });
        expectMalformed(odd, /head alone/);
      }
    }
  });

  it('offsets outside the data', () => {
    for (const { make, head } of Object.values(LAYOUT_WORDS)) {
      const l = make(fixed);
      const size = BigInt((l.data.length - 2) / 2);
      for (const off of [size, size - 16n, size + 32n, 2n ** 32n, 2n ** 53n, 2n ** 255n, MAX256]) {
        expectBothReject(withWord(l, head, off), /wadsToSlash (offset|length)/);
        expectBothReject(withWord(l, head + 1, off), /description (offset|length)/);
      }
    }
  });

  it('lengths beyond the data', () => {
    for (const { make, wadsLen, descLen } of Object.values(LAYOUT_WORDS)) {
      const l = make(fixed);
      const size = (l.data.length - 2) / 2;
      // wads: 2 words, then the description's 2 words: a length of 4 still ends inside, 5 does not
      expectBothReject(withWord(l, wadsLen, 5n), /wadsToSlash length 5 .*past the end/);
      for (const len of [2n ** 32n, 2n ** 53n, 2n ** 200n, MAX256]) expectBothReject(withWord(l, wadsLen, len), /wadsToSlash length/);
      // description: 9 bytes padded to 32; 32 still fits, 33 does not
      expectSame(withWord(l, descLen, 32n));
      expectBothReject(withWord(l, descLen, 33n), /description length 33 .*past the end/);
      expectBothReject(withWord(l, descLen, BigInt(size)), /description length/);
      for (const len of [2n ** 32n, 2n ** 53n, MAX256]) expectBothReject(withWord(l, descLen, len), /description length/);
    }
  });

  it('OperatorSlashed is rejected on malformed data even though its output leaves the data out', () => {
    const l = slashedLog(fixed);
    expectBothReject({ ...l, data: '0x' });
    expectBothReject(withWord(l, 1, 2n ** 40n));
    expectBothReject(withWord(l, 2, 100n));
  });

  it('SlashingRequestCancelled ignores its (empty) data, as viem does', () => {
    const l = cancelledLog(fixed);
    expectSame({ ...l, data: `0x${word(1n)}` as Hex });
    expectSame({ ...l, data: '0xzz' as Hex });
  });

  it('names the event, the block, the transaction and the log index', () => {
    const l = v1Log(fixed);
    expect(() => decodeSlasherLog(withTopic(l, 2, dirtyPadding(l.topics[2]!, 0)))).toThrow(
      `malformed SlashingRequested log from ${l.address} (block ${hexToNumber(l.blockNumber)}, tx ${l.transactionHash}, log index ${hexToNumber(l.logIndex)}): topic 2 (address) has non-zero padding`,
    );
  });
});
