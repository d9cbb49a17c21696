export {
  COUNT_KEYS,
  type CountConventions,
  type CountRule,
  countRule,
  defaultConventions,
  describeConventions,
  flopsOf,
  type OpCounts,
  registerCountRule,
} from './counts.js';
export { type FormatSummaryOptions, formatInt, formatSummary } from './format.js';
export { type ModelSummary, type SummaryOptions, type SummaryRow, summarizeTrace, summary } from './summary.js';
