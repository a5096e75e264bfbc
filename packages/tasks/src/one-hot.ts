import { fromData, type Tensor } from '@unroll/tensor';

/**
 * Class ids laid out row-major in `shape` → a tensor of shape [...shape, classes] with a 1
 * at each id: the input a cell without an Embedding layer reads.
 */
export function oneHot(ids: ArrayLike<number>, shape: readonly number[], classes: number): Tensor {
  const count = shape.reduce((a, b) => a * b, 1);
  if (ids.length !== count) {
    throw new RangeError(`oneHot: ${ids.length} ids do not fill shape [${shape.join(', ')}]`);
  }
  const out = new Float64Array(count * classes);
  for (let i = 0; i < count; i++) {
    const id = ids[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= classes) {
      throw new RangeError(
        `oneHot: id ${id} at position ${i} is not a class in [0, ${classes - 1}]`,
      );
    }
    out[i * classes + id] = 1;
  }
  return fromData(out, [...shape, classes]);
}
