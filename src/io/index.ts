/**
 * Tensor serialization, browser-safe: the safetensors format. File checkpoints (atomic save,
 * load) are in `nabla/node`.
 */
import { counted } from '../tensor/keywords.js';
import * as St from './safetensors.js';

export { type Deserialized, MAX_HEADER_BYTES, type SafetensorsEntry, type SafetensorsHeader, type TensorMap } from './safetensors.js';
// Each refuses surplus arguments, naming itself (tensor/keywords.ts).
export const serialize = counted('serialize', St.serialize, ['tensors', 'metadata?']);
export const deserialize = counted('deserialize', St.deserialize, ['bytes']);
export const deserializeWithMetadata = counted('deserializeWithMetadata', St.deserializeWithMetadata, ['bytes']);
export const readHeader = counted('readHeader', St.readHeader, ['bytes']);
