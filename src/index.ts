/** micrograd-ts: the public API, listed by name. */

export { type CompiledGraph, compile } from "./compile";
export {
  type Dataset,
  demoMoons,
  lectureData,
  MAX_MOONS_NOISE,
  MAX_MOONS_POINTS,
  makeMoons,
  makeSpirals,
} from "./data";
// Notebook output: graphs, charts, live training.
export {
  type AnimateOptions,
  type Animation,
  animateBackward,
  DEFAULT_FRAME_DELAY_MS,
  MAX_ANIMATION_MS,
  MAX_FRAMES,
  MAX_STEPS_VIEW_FRAMES,
} from "./display/animate";
export {
  drawNetwork,
  NETWORK_MAX_LAYER_SIZE,
  type NetworkDrawing,
  type NetworkOptions,
} from "./display/draw-network";
export {
  DEFAULT_MAX_NODES,
  DEFAULT_TIMEOUT_MS,
  type Drawing,
  type DrawOptions,
  drawDot,
  type RenderOptions,
  renderSvg,
} from "./display/graph";
export { type DotOptions, type GraphTrace, toDot, trace } from "./display/graph-dot";
export {
  type LiveNetworkOptions,
  LiveTraining,
  type LiveTrainingOptions,
  liveTraining,
  type StepRecord,
} from "./display/live";
export { LIVE_GRAPH_MAX_NODES, type LiveGraphOptions } from "./display/live-graph";
export { type PlotOptions, type PlotOutput, plot } from "./display/plot";
export {
  type Axis,
  arange,
  type Classifier,
  type ContourTrace,
  DEFAULT_MAX_POINTS,
  type DecisionBoundaryOptions,
  decisionBoundary,
  decisionRegions,
  type Figure,
  type Layout,
  type LinePlotOptions,
  type LossCurveOptions,
  linePlot,
  lossCurve,
  type PlotConfig,
  type ScatterOptions,
  type ScatterTrace,
  type Scorer,
  type Series,
  scatter2d,
  type Trace,
  type TraceBase,
  type TrainingRecord,
} from "./display/plot-figures";
export { type FigureHtmlOptions, figureHtml, loadPlotly, plotlyVersion } from "./display/plot-render";
// The learner's core.
export { type Operand, resetGrads, topologicalOrder, Value, type ValueOptions } from "./engine";
export { pyFloat } from "./format";
export { type GradcheckEntry, type GradcheckResult, gradcheck } from "./gradcheck";
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
export {
  type Activation,
  DEFAULT_MAX_PARAMETERS,
  Layer,
  MLP,
  type MLPOptions,
  Module,
  Neuron,
  type NeuronOptions,
} from "./nn";
export { Adam, type AdamOptions, type LearningRate, SGD } from "./optim";
export { globalRandom, Random, seed } from "./random";
