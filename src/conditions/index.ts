export { compileCondition } from './evaluate.js';
export type { CompiledCondition, ConditionInput, ConditionOutcome, EvaluateOptions } from './types.js';
export { ConditionSyntaxError } from '../errors.js';
