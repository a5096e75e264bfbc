/**
 * @unroll/cells — modules and recurrent cells with PyTorch's names. Read in this order:
 *   safetensors.ts  the weights file format shared with PyTorch, read defensively
 */

export {
  loadSafetensors,
  MAX_HEADER_BYTES,
  type SafetensorsDtype,
  type SafetensorsEntry,
  SafetensorsError,
  type SafetensorsFile,
  type SafetensorsInput,
  saveSafetensors,
} from './safetensors.ts';
