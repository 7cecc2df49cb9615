/**
 * One copy of each text seen through it: texts that repeat across thousands of kept rows
 * (addresses, statuses) are then one string each rather than one per row.
 */
export function sameTexts(): <T extends string>(text: T) => T {
  const seen = new Map<string, string>();
  return <T extends string>(text: T): T => {
    const kept = seen.get(text);
    if (kept !== undefined) return kept as T;
    seen.set(text, text);
    return text;
  };
}
