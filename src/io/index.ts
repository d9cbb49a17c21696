/**
 * Tensor serialization, browser-safe: the safetensors format. File checkpoints (atomic save,
 * load) are in `nabla/node`.
 */
export {
  type Deserialized,
  deserialize,
  deserializeWithMetadata,
  MAX_HEADER_BYTES,
  readHeader,
  type SafetensorsEntry,
  type SafetensorsHeader,
  serialize,
  type TensorMap,
} from './safetensors.js';
