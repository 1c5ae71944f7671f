/** Levenshtein distance: how many letters to add, drop or change to turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diag = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const up = row[j] as number;
      row[j] = Math.min(up + 1, (row[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length] as number;
}

/** " Did you mean `x`?" for the closest of `names` (the first of equals), or nothing when none is close. */
export function didYouMean(word: string, names: readonly string[]): string {
  const best = names
    .map((name) => ({ name, d: editDistance(word.toLowerCase(), name) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 2 ? ` Did you mean \`${best.name}\`?` : '';
}

/** "`a`, `b` or `c`". */
export function orList(words: readonly string[]): string {
  const quoted = words.map((w) => `\`${w}\``);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}
