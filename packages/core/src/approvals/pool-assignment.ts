/**
 * Which pool each vote counts for: each voter for at most one pool they may approve for, each
 * pool up to its count, as many votes counted as possible (a maximum bipartite matching, so a
 * person in two pools is placed where they are needed, whatever order the votes came in).
 * Returns the pool index per vote, or -1 for a vote that cannot count.
 */
export function assignVotes(required: readonly number[], eligible: readonly (readonly number[])[]): number[] {
  const slots = required.flatMap((n, pool) => Array.from({ length: n }, () => pool));
  const holder: (number | undefined)[] = slots.map(() => undefined);
  const place = (vote: number, seen: Set<number>): boolean => {
    for (const [slot, pool] of slots.entries()) {
      if (!eligible[vote]?.includes(pool) || seen.has(slot)) continue;
      seen.add(slot);
      const current = holder[slot];
      if (current === undefined || place(current, seen)) {
        holder[slot] = vote;
        return true;
      }
    }
    return false;
  };
  eligible.forEach((_, vote) => place(vote, new Set()));
  const assigned = eligible.map(() => -1);
  holder.forEach((vote, slot) => {
    if (vote !== undefined) assigned[vote] = slots[slot] ?? -1;
  });
  return assigned;
}

/** Whether one more vote, eligible for `next`, would count (raise the number of votes placed). */
export function voteWouldCount(
  required: readonly number[],
  eligible: readonly (readonly number[])[],
  next: readonly number[],
): boolean {
  const placed = (votes: readonly (readonly number[])[]) =>
    assignVotes(required, votes).filter((p) => p >= 0).length;
  return placed([...eligible, next]) > placed(eligible);
}
