/**
 * `list[i]` for an index the caller computed to be in range (a modulo, a loop bound, an id it
 * handed out): out of range is a bug in loadgen, so it throws rather than yield undefined.
 */
export function at<T>(list: ArrayLike<T>, i: number, what = 'index'): T {
  const item = list[i];
  if (item === undefined) throw new RangeError(`${what} ${i} is outside 0..${list.length - 1}`);
  return item;
}
