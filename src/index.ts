/** micrograd-ts: the public API. */

export { type Dataset, demoMoons, lectureData, makeMoons } from "./data";
export { type Operand, resetGrads, topologicalOrder, Value, type ValueOptions } from "./engine";
export { type GradcheckEntry, type GradcheckResult, gradcheck } from "./gradcheck";
export * from "./graph";
export {
  accuracy,
  crossEntropy,
  type MaxMarginOptions,
  maxMargin,
  mse,
  softmax,
  squaredError,
  sum,
} from "./losses";
export { type Activation, Layer, MLP, type MLPOptions, Module, Neuron, type NeuronOptions } from "./nn";
export { display, escapeHtml, inNotebook, LiveDisplay, type MimeBundle } from "./notebook";
export { Adam, type AdamOptions, type LearningRate, SGD } from "./optim";
export * from "./plot";
export { globalRandom, Random, seed } from "./random";
