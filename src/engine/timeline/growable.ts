/** Typed arrays that grow by doubling: the index keeps millions of versions without objects. */
type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;
type TypedArrayCtor<T extends TypedArray> = { new (length: number): T };

export function grow<T extends TypedArray>(array: T, needed: number, ctor: TypedArrayCtor<T>): T {
  if (needed <= array.length) return array;
  let length = Math.max(16, array.length);
  while (length < needed) length *= 2;
  const next = new ctor(length);
  next.set(array as never);
  return next;
}
