/**
 * Splits parts, in order, into `shards` contiguous groups of roughly equal bytes: each part goes
 * to the shard its midpoint falls in, so order is kept and no part is split. Groups may be
 * empty when there are fewer parts than shards.
 */
export function planShards(sizes: readonly number[], shards: number): number[][] {
  const groups: number[][] = Array.from({ length: shards }, () => []);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  let before = 0;
  sizes.forEach((size, i) => {
    const position = total > 0 ? (before + size / 2) / total : (i + 0.5) / sizes.length;
    groups[Math.min(shards - 1, Math.floor(position * shards))]!.push(i);
    before += size;
  });
  return groups;
}
