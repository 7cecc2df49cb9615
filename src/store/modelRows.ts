/**
 * Reads of whole model rows in raw SQL, shaped exactly as Prisma's `findMany` returns them, for
 * the reads a polled page makes every few hundred milliseconds: Prisma 6 compiles every ORM query
 * on the main thread (1–8 ms each, no plan cache), and a page of requests takes ten of them. The
 * columns and their types come from the generated client's data model, so a column added to the
 * schema is read here with no second list to keep in step.
 */
import { Prisma } from './generated/sqlite';
import { dialect } from './dialect';
import type { Database, DbKind } from './database';

type Convert = (v: unknown) => unknown;

const asNumber: Convert = (v) => (v === null || v === undefined ? null : Number(v));
const asString: Convert = (v) => (v === null || v === undefined ? null : String(v));
const asBool: Convert = (v) => (v === null || v === undefined ? null : v === true || v === 1 || v === 1n || v === '1' || v === 't');
const asBigInt: Convert = (v) => (v === null || v === undefined ? null : BigInt(v as string | number | bigint));
/**
 * UTC text (see dialect.utcText), as Prisma reads it: a text without a zone was written as UTC
 * (SQLite's CURRENT_TIMESTAMP), a date alone is its midnight UTC, `+05` is `+05:00`.
 */
const asDate: Convert = (v) => {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new Date(Number(v));
  const s = String(v).trim();
  if (/^\d{4}-\d\d-\d\d$/.test(s)) return new Date(`${s}T00:00:00Z`);
  const zone = /(?:Z|[+-]\d\d(?::?\d\d)?)$/i.exec(s);
  if (!zone) return new Date(`${s.replace(' ', 'T')}Z`);
  return new Date(/^[+-]\d\d$/.test(zone[0]) ? `${s.replace(' ', 'T')}:00` : s.replace(' ', 'T'));
};

const CONVERTERS: Record<string, Convert> = { Int: asNumber, Float: asNumber, String: asString, Boolean: asBool, BigInt: asBigInt, DateTime: asDate };

export interface ModelRows<Row> {
  /** the model's columns, quoted, in the order `row` reads them */
  columns: string;
  /** one row of `SELECT ${columns}` as the model API would return it */
  row(values: unknown[]): Row;
  /** `SELECT columns FROM table WHERE …`, rows as the model API would return them */
  select(where: string, params: unknown[], tail?: string): Promise<Row[]>;
  /**
   * The rows whose columns equal `equal`'s values and, with `within`, whose column is one of its
   * values (none when it is empty), ordered by `orderBy` ascending: a `findMany` with a `where`
   * of equalities and one `in`.
   */
  find(equal: Record<string, string | number | boolean>, within?: { column: string; values: readonly (string | number)[] }, orderBy?: string): Promise<Row[]>;
}

/**
 * A reader of `model`'s rows. Throws at once for a model, or a column type, it cannot read the
 * way Prisma does (so a schema change surfaces when the desk starts, not on a page).
 */
export function modelRows<Row>(database: Pick<Database, 'kind' | 'queryRows'>, model: Prisma.ModelName): ModelRows<Row> {
  const m = Prisma.dmmf.datamodel.models.find((x) => x.name === model);
  if (!m) throw new Error(`no model ${model} in the generated client`);
  const fields = m.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
  const d = dialect(database.kind);
  /** the column a field is stored in (`@map`) */
  const columnOf = (f: (typeof fields)[number]) => f.dbName ?? f.name;
  const converters = fields.map((f) => {
    if (f.isList) throw new Error(`${model}.${f.name}: a list column is not read in raw SQL`);
    if (f.kind === 'enum') return asString;
    const c = CONVERTERS[f.type];
    if (!c) throw new Error(`${model}.${f.name}: column type ${f.type} is not read in raw SQL`);
    return c;
  });
  const columns = fields.map((f) => (f.type === 'DateTime' ? d.utcText(columnOf(f)) : `"${columnOf(f)}"`)).join(', ');
  const row = (values: unknown[]): Row => {
    const out: Record<string, unknown> = {};
    for (let k = 0; k < fields.length; k++) out[fields[k]!.name] = converters[k]!(values[k]);
    return out as Row;
  };
  const typeOf = new Map(fields.map((f) => [f.name, f.type]));
  const stored = new Map(fields.map((f) => [f.name, columnOf(f)]));
  /** a field's column, by the field's name as the model API spells it */
  const column = (name: string) => {
    const c = stored.get(name);
    if (c === undefined) throw new Error(`${model} has no column ${name}`);
    return c;
  };
  const select: ModelRows<Row>['select'] = async (where, params, tail = '') => {
    const rows = await database.queryRows(`SELECT ${columns} FROM "${m.dbName ?? model}" WHERE ${where}${tail ? ` ${tail}` : ''}`, ...params);
    return rows.map(row);
  };
  return {
    columns,
    row,
    select,
    async find(equal, within, orderBy = 'id') {
      const where: string[] = [];
      const params: unknown[] = [];
      for (const [name, value] of Object.entries(equal)) {
        params.push(typeof value === 'boolean' ? d.bool(value) : value);
        where.push(`"${column(name)}" = ${d.p(params.length)}`);
      }
      if (within) {
        params.push(JSON.stringify(within.values));
        where.push(inList(database.kind, column(within.column), params.length, typeOf.get(within.column) === 'Int' ? 'int' : 'text'));
      }
      return select(where.length ? where.join(' AND ') : '1 = 1', params, `ORDER BY "${column(orderBy)}"`);
    },
  };
}

/**
 * `"column" IN (the values of parameter n)` with one parameter whatever the list's length (a JSON
 * array): one prepared statement serves every list, and no list meets a parameter limit.
 */
export function inList(kind: DbKind, column: string, n: number, type: 'text' | 'int'): string {
  return kind === 'postgresql'
    ? `"${column}" IN (SELECT json_array_elements_text($${n}::json)${type === 'int' ? '::int' : ''})`
    : `"${column}" IN (SELECT value FROM json_each(?))`;
}
