/**
 * `nn.utils` as the package exports it (`torch.nn.utils`): gradient clipping with PyTorch's
 * parameter names, positional and keyword forms, refusing surplus arguments (tensor/keywords.ts).
 */
import { keywords } from '../tensor/keywords.js';
import * as C from './utils/clip-grad.js';

/**
 * Scales the gradients of `parameters` in place so that their joint `normType`-norm is at most
 * `maxNorm`; returns the norm before clipping (`torch.nn.utils.clip_grad_norm_`).
 */
export const clipGradNorm_ = keywords('clipGradNorm_', C.clipGradNorm_, ['parameters', 'maxNorm', 'normType?', 'errorIfNonfinite?']);
/** Clamps every gradient of `parameters` in place to [−clipValue, clipValue] (`torch.nn.utils.clip_grad_value_`). */
export const clipGradValue_ = keywords('clipGradValue_', C.clipGradValue_, ['parameters', 'clipValue']);
