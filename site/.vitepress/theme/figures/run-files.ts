/**
 * Reading a run folder's files in the page, with the lab's own rules (run-folder.ts,
 * checkpoint.ts) restated for the browser: the lab reads files with Node, the page gets
 * them as bytes from a file input. A file that is not what its name says is refused
 * with the reason.
 *
 *   config.json              the run's config: an object with task, cell, seqLen …
 *   metrics.jsonl            one JSON line per step; a last line cut short is dropped
 *   diagnostics.json         { init, final }: gradient flow snapshots
 *   summary.json             the outcome (status, step, lastEval, solvedAt, seconds)
 *   checkpoint.safetensors   format checkpoint-v2, its sha256 checked like the lab does
 */

import { loadSafetensors, SafetensorsError } from '@unroll/cells';

export class RunFileError extends Error {
  override name = 'RunFileError';
}

const CONFIG_KEYS = ['task', 'cell', 'seqLen', 'hidden', 'steps'] as const;

export interface RunConfig {
  name?: string;
  task: string;
  cell: string;
  seqLen: number;
  hidden: number;
  steps: number;
  [key: string]: unknown;
}

function parseJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RunFileError(`${name} is not valid JSON (${(error as Error).message})`);
  }
}

export function readConfig(name: string, text: string): RunConfig {
  const value = parseJson(name, text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RunFileError(`${name} is not a run's config: it is not a JSON object`);
  }
  const missing = CONFIG_KEYS.filter((k) => !(k in value));
  if (missing.length > 0) {
    throw new RunFileError(`${name} is not a run's config: it has no ${missing.join(', ')}`);
  }
  return value as RunConfig;
}

export interface MetricsLine {
  step: number;
  loss: number;
  gradNorm: number;
  lr: number;
  eval?: { loss: number; solved?: boolean };
}

/** As the lab's readMetrics: a cut-short last line is dropped, any other bad line refused. */
export function readMetrics(name: string, text: string): MetricsLine[] {
  const lines = text.split('\n');
  const out: MetricsLine[] = [];
  lines.forEach((line, i) => {
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (lines.slice(i + 1).some((l) => l !== '')) {
        throw new RunFileError(`${name}: line ${i + 1} is not JSON`);
      }
      return;
    }
    const m = value as Partial<MetricsLine>;
    if (
      typeof m !== 'object' ||
      m === null ||
      typeof m.step !== 'number' ||
      typeof m.loss !== 'number'
    ) {
      throw new RunFileError(`${name}: line ${i + 1} has no numeric step and loss`);
    }
    out.push(m as MetricsLine);
  });
  if (out.length === 0) throw new RunFileError(`${name} holds no metrics lines`);
  return out;
}

export interface FlowSnapshot {
  step: number;
  loss: number;
  norms: number[][];
  verdict: { verdict: string; ratio: number; reason: string } | null;
  note: string | null;
}

export function readDiagnostics(
  name: string,
  text: string,
): { init: FlowSnapshot | null; final: FlowSnapshot | null } {
  const value = parseJson(name, text) as { init?: unknown; final?: unknown };
  if (typeof value !== 'object' || value === null || !('init' in value)) {
    throw new RunFileError(`${name} is not a run's diagnostics: it has no "init" snapshot`);
  }
  const check = (s: unknown, which: string): FlowSnapshot | null => {
    if (s === null || s === undefined) return null;
    const snapshot = s as FlowSnapshot;
    if (!Array.isArray(snapshot.norms) || !snapshot.norms.every((layer) => Array.isArray(layer))) {
      throw new RunFileError(`${name}: the ${which} snapshot has no norms per layer`);
    }
    return snapshot;
  };
  return { init: check(value.init, 'init'), final: check(value.final, 'final') };
}

export function readSummary(name: string, text: string): Record<string, unknown> {
  const value = parseJson(name, text);
  if (typeof value !== 'object' || value === null || !('status' in value)) {
    throw new RunFileError(`${name} is not a run's summary: it has no status`);
  }
  return value as Record<string, unknown>;
}

export interface CheckpointView {
  step: number;
  config: RunConfig;
  tensors: { name: string; shape: number[] }[];
}

const CHECKPOINT_FORMAT = 'checkpoint-v2';

/** The lab's digest: sha256 over the config and state JSON, then each tensor's name, shape and float64 bytes. */
async function digest(
  config: string,
  state: string,
  tensors: Record<string, { shape: number[]; data: ArrayLike<number> }>,
) {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [encoder.encode(`${config}\n${state}\n`)];
  for (const [name, { shape, data }] of Object.entries(tensors)) {
    parts.push(encoder.encode(`${name}[${shape.join(',')}]`));
    parts.push(new Uint8Array(Float64Array.from(data).buffer));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function readCheckpoint(name: string, bytes: Uint8Array): Promise<CheckpointView> {
  const fail = (why: string): never => {
    throw new RunFileError(`${name} is not a usable checkpoint: ${why}`);
  };
  let file: ReturnType<typeof loadSafetensors>;
  try {
    file = loadSafetensors(bytes);
  } catch (error) {
    if (!(error instanceof SafetensorsError)) throw error;
    return fail(`${error.message.replace(/^loadSafetensors: /, '')} (truncated or damaged)`);
  }
  const { tensors, metadata } = file;
  const format = metadata['unroll.format'];
  if (format === undefined) fail('its metadata has no unroll.format (a plain weights file?)');
  if (format !== CHECKPOINT_FORMAT)
    fail(`it is in the format '${format}'; this page reads '${CHECKPOINT_FORMAT}'`);
  const configJson = metadata['unroll.config'] ?? '';
  const stateJson = metadata['unroll.state'] ?? '';
  if ((await digest(configJson, stateJson, tensors)) !== metadata['unroll.sha256']) {
    fail('its contents do not match the sha256 written with them (the file is damaged)');
  }
  let state: { step: number };
  let config: RunConfig;
  try {
    config = readConfig('unroll.config', configJson);
    state = JSON.parse(stateJson);
  } catch (error) {
    return fail(`its metadata does not parse: ${(error as Error).message}`);
  }
  return {
    step: state.step,
    config,
    tensors: Object.entries(tensors).map(([n, t]) => ({ name: n, shape: [...t.shape] })),
  };
}
