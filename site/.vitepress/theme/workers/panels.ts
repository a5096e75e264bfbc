/**
 * The panels of the vanishing/exploding explorer, each drawn by @unroll/diagnostics'
 * own SVG charts (the same code the lab's reports use): ‖∂L/∂h_t‖ against t on a log
 * scale, the singular values of each gate's block of W_hh, and the fraction of
 * saturated gate units at each timestep.
 */

import {
  gateBlocks,
  gradientNormChart,
  gradientVerdict,
  heatmap,
  lineChart,
  measureGradientFlow,
  saturation,
  singularValues,
  spectralRadius,
} from '@unroll/diagnostics';
import type { AddingBatch } from '@unroll/tasks';
import { mse, narrow, reshape } from '@unroll/tensor';
import { type AddingModel, MODEL_NAMES } from './adding-model.ts';

const SIZE = { width: 420, height: 280 } as const;

export interface Panels {
  flow: string;
  spectrum: string;
  saturation: string;
  verdict: string;
  /** ‖∂L/∂h_t‖, t = 1..T. */
  norms: number[];
}

export function drawPanels(model: AddingModel, probe: AddingBatch): Panels {
  const { cell, readout, settings } = model;
  const T = settings.seqLen;
  const B = probe.targets.shape[0]!;
  const measured = measureGradientFlow(cell, probe.inputs, (output) =>
    mse(readout.forward(reshape(narrow(output, 1, T - 1, 1), [B, settings.hidden])), probe.targets),
  );
  const norms = measured.norms[0]!;
  const name = MODEL_NAMES[settings.cell];
  let verdict: string;
  try {
    const report = gradientVerdict(norms);
    verdict = `${report.verdict}: ${report.reason}`;
  } catch (error) {
    verdict = (error as Error).message;
  }
  const flow = gradientNormChart({
    ...SIZE,
    title: `${name}, step ${model.step}: ‖∂L/∂hₜ‖`,
    series: [{ name, y: norms }],
  });
  const { blocks } = gateBlocks(cell.weight_hh);
  const H = settings.hidden;
  const spectrum = lineChart({
    ...SIZE,
    title: `Singular values of W_hh (ρ = ${blocks
      .map((b) => spectralRadius(b.matrix, { seed: 1 }).value.toFixed(2))
      .join(', ')})`,
    xLabel: 'k',
    yLabel: 'σₖ',
    series: blocks.map((b) => ({ name: `gate ${b.gate}`, y: singularValues(b.matrix.data, H, H) })),
    baselines: [{ y: 1, label: 'σ = 1' }],
  });
  const report = saturation(cell, probe.inputs)[0]!;
  const saturationSvg = heatmap({
    ...SIZE,
    title: `Saturated fraction; rows: ${report.gates.map((g) => g.gate).join(', ')}`,
    xLabel: 'timestep t',
    yLabel: 'gate',
    values: report.gates.map((g) => g.perStep),
    colorScale: 'linear',
    colorLabel: 'saturated',
  });
  return { flow, spectrum, saturation: saturationSvg, verdict, norms };
}
