/**
 * The SQL that differs between SQLite and PostgreSQL, in one place: parameter marks, row locks,
 * a JSON array of ids as a row source, aggregation into a JSON array, UTC timestamps as text.
 */
import type { DbKind } from './database';

export interface Dialect {
  kind: DbKind;
  /** the n-th parameter: `$n` (PostgreSQL) or `?` (SQLite) */
  p(n: number): string;
  /** `count` parameters from the `from`-th: `$from, …` or `?, …` */
  list(count: number, from: number): string;
  /** numbered marks in order, for statements built row by row */
  counter(): () => string;
  /** ` FOR UPDATE` where the database locks rows (SQLite's single writer serialises by itself) */
  forUpdate: string;
  /** rows of the JSON array of texts in parameter `n` */
  jsonTexts(n: number): string;
  /** a column's distinct values as a JSON array text */
  jsonAggDistinct(column: string): string;
  /** a TIMESTAMP column as ISO-8601 UTC text */
  utcText(column: string): string;
  /** a boolean as the column stores it */
  bool(v: boolean): boolean | number;
}

export function dialect(kind: DbKind): Dialect {
  const pg = kind === 'postgresql';
  const p = (n: number) => (pg ? `$${n}` : '?');
  return {
    kind,
    p,
    list: (count, from) => Array.from({ length: count }, (_, k) => p(from + k)).join(', '),
    counter() {
      let n = 0;
      return () => p(++n);
    },
    forUpdate: pg ? ' FOR UPDATE' : '',
    jsonTexts: (n) => (pg ? `SELECT json_array_elements_text($${n}::json)` : 'SELECT value FROM json_each(?)'),
    jsonAggDistinct: (c) => (pg ? `json_agg(DISTINCT "${c}")::text` : `json_group_array(DISTINCT "${c}")`),
    // pg would read TIMESTAMP without time zone as local time
    utcText: (c) => (pg ? `to_char("${c}", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : `"${c}"`),
    bool: (v) => (pg ? v : v ? 1 : 0),
  };
}
