/**
 * Analysis tools: model summaries with exact operation counts, receptive fields, gradient flow.
 * Browser-safe (no Node imports).
 */

export { type OpEvent, type OpListener, onOp, traced } from '../ops/trace.js';
export {
  type ForwardTrace,
  type ModelInput,
  type ModuleCall,
  type Producer,
  type TracedOp,
  type TraceOptions,
  tensorsIn,
  traceForward,
} from './forward-trace.js';
export { GradFlow, type GradFlowLayer, type GradFlowOptions, type GradFlowStep, gradFlow } from './grad-flow.js';
export { type Box, type IndexSet, regionHas } from './index-set.js';
export {
  alexnet,
  type BuiltinModel,
  builtinModels,
  Inception,
  inceptionBottleneck,
  inceptionNaive,
  lenet,
  type ModelOptions,
} from './models.js';
export {
  type AtOptions,
  type DimRange,
  type FieldInfo,
  type FieldRanges,
  type LayerField,
  ReceptiveField,
  type ReceptiveFieldOptions,
  receptiveField,
} from './receptive-field.js';
export { type FormatRangesOptions, formatRanges, formatReceptiveField } from './receptive-field-format.js';
export * from './summary/index.js';
