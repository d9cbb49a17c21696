/**
 * Tensor serialization, browser-safe: the safetensors format. File checkpoints (atomic save,
 * load) are in `nabla/node`.
 */
import { counted } from '../tensor/keywords.js';
import * as St from './safetensors.js';

export { type Deserialized, MAX_HEADER_BYTES, type SafetensorsEntry, type SafetensorsHeader, type TensorMap } from './safetensors.js';
// Each refuses surplus arguments, naming itself (tensor/keywords.ts).
/**
 * Encodes tensors (float32 → F32, float64 → F64, int32 → I32, bool → BOOL) and optional string
 * metadata as a safetensors file. Non-contiguous tensors are written in row-major order.
 * @example writeFileSync('model.safetensors', io.serialize(model.stateDict(), { epoch: '3' }))
 */
export const serialize = counted('serialize', St.serialize, ['tensors', 'metadata?']);
/** Decodes a safetensors buffer into tensors by name (see {@link deserializeWithMetadata}). */
export const deserialize = counted('deserialize', St.deserialize, ['bytes']);
/**
 * Decodes a safetensors buffer into tensors and its `__metadata__`, validating the whole header
 * first (see {@link readHeader}). F32/F64/I32/BOOL map to their nabla dtypes; F16/BF16 widen to
 * float32; I64 (PyTorch's int64), U32 and the narrower integers become int32 — an I64/U32 value
 * outside int32's range is an error, never a silent wrap.
 */
export const deserializeWithMetadata = counted('deserializeWithMetadata', St.deserializeWithMetadata, ['bytes']);
/**
 * Parses and validates the header of a safetensors buffer without touching tensor data: sizes,
 * JSON structure, dtypes, shapes, and that the offsets tile the data section exactly.
 */
export const readHeader = counted('readHeader', St.readHeader, ['bytes']);
