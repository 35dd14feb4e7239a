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
} from "./display/animate-backward";
export { DEFAULT_MAX_POINTS } from "./display/check-figure";
export { type DotOptions, type GraphTrace, toDot, trace } from "./display/dot";
export { DEFAULT_MAX_NODES, type Drawing, type DrawOptions, drawDot } from "./display/draw-dot";
export {
  drawNetwork,
  NETWORK_MAX_LAYER_SIZE,
  type NetworkDrawing,
  type NetworkOptions,
} from "./display/draw-network";
export { type FigureHtmlOptions, figureHtml } from "./display/figure-html";
export type {
  Axis,
  ContourTrace,
  Figure,
  Layout,
  PlotConfig,
  ScatterTrace,
  Series,
  Trace,
  TraceBase,
} from "./display/figure-types";
export {
  arange,
  type Classifier,
  type DecisionBoundaryOptions,
  decisionBoundary,
  decisionRegions,
  type LinePlotOptions,
  type LossCurveOptions,
  linePlot,
  lossCurve,
  type ScatterOptions,
  type Scorer,
  scatter2d,
  type TrainingRecord,
} from "./display/figures";
export { LIVE_GRAPH_MAX_NODES, type LiveGraphOptions } from "./display/live-graph";
export {
  type LiveNetworkOptions,
  LiveTraining,
  type LiveTrainingOptions,
  liveTraining,
  type StepRecord,
} from "./display/live-training";
export { type PlotOptions, type PlotOutput, plot } from "./display/plot";
export { loadPlotly, plotlyVersion } from "./display/plotly";
export { DEFAULT_TIMEOUT_MS, type RenderOptions, renderSvg } from "./display/render-svg";
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
