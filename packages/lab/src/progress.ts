/**
 * Progress of one or more training runs. On a terminal: one live bar per run,
 * redrawn in place at most ten times a second. Anywhere else (a pipe, a CI log, a
 * file): plain lines, one per run each time it passes another tenth of its steps,
 * so logs stay readable and short.
 */

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressFields {
  loss?: number;
  gradNorm?: number;
}

export interface ProgressOptions {
  /** Clock in milliseconds (injectable for tests). */
  now?: () => number;
  /** Force plain lines even on a terminal. */
  plain?: boolean;
}

export class ProgressBar {
  step = 0;
  fields: ProgressFields = {};
  finished = false;
  note = '';
  /** When the rate is measured from: the bar's first update (a queued run has not started). */
  startedAt: number;
  startStep: number;
  lastReportedTenth = 0;
  private updated = false;

  constructor(
    readonly label: string,
    readonly total: number,
    private readonly board: ProgressBoard,
    startStep = 0,
  ) {
    this.startedAt = board.now();
    this.step = startStep;
    this.startStep = startStep;
  }

  update(step: number, fields: ProgressFields = {}): void {
    if (!this.updated) {
      this.updated = true;
      this.startedAt = this.board.now();
      this.startStep = step;
    }
    this.step = step;
    this.fields = fields;
    this.board.changed(this);
  }

  finish(note = ''): void {
    this.finished = true;
    this.note = note;
    this.board.changed(this, true);
  }

  /** Steps per second since this bar started. */
  rate(): number {
    const seconds = (this.board.now() - this.startedAt) / 1000;
    return seconds > 0 ? (this.step - this.startStep) / seconds : 0;
  }

  /** One line describing the bar (without the drawn bar itself). */
  describe(): string {
    const parts = [`${this.step}/${this.total}`];
    if (this.fields.loss !== undefined) parts.push(`loss ${formatNumber(this.fields.loss)}`);
    if (this.fields.gradNorm !== undefined) parts.push(`‖g‖ ${formatNumber(this.fields.gradNorm)}`);
    const rate = this.rate();
    // At its first update a bar has seen no step go by yet: no rate to show.
    if (this.step > this.startStep) parts.push(`${rate.toFixed(1)} steps/s`);
    if (this.finished) parts.push(this.note || 'done');
    else if (rate > 0) parts.push(`ETA ${formatDuration((this.total - this.step) / rate)}`);
    return parts.join('  ');
  }
}

export class ProgressBoard {
  private readonly bars: ProgressBar[] = [];
  private readonly live: boolean;
  private drawnLines = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  readonly now: () => number;

  constructor(
    private readonly out: ProgressStream,
    options: ProgressOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.live = !options.plain && out.isTTY === true;
  }

  add(label: string, total: number, startStep = 0): ProgressBar {
    const bar = new ProgressBar(label, total, this, startStep);
    this.bars.push(bar);
    this.lastReported(bar);
    if (this.live) this.draw();
    return bar;
  }

  /** Called by a bar when it moved. */
  changed(bar: ProgressBar, force = false): void {
    if (this.live) {
      if (force || this.now() - this.lastDraw >= 100) this.draw();
      return;
    }
    const tenth = Math.floor((10 * bar.step) / Math.max(1, bar.total));
    if (force || tenth > bar.lastReportedTenth) {
      bar.lastReportedTenth = tenth;
      this.out.write(`${bar.label}  ${bar.describe()}\n`);
    }
  }

  /** Writes a message above the bars without tearing them. */
  log(message: string): void {
    if (this.live) this.erase();
    this.out.write(`${message}\n`);
    if (this.live) this.draw();
  }

  private lastReported(bar: ProgressBar): void {
    bar.lastReportedTenth = Math.floor((10 * bar.step) / Math.max(1, bar.total));
  }

  private erase(): void {
    if (this.drawnLines > 0) this.out.write(`\x1b[${this.drawnLines}A\x1b[0J`);
    this.drawnLines = 0;
  }

  private draw(): void {
    this.erase();
    const width = Math.max(40, this.out.columns ?? 100);
    const labelWidth = Math.max(...this.bars.map((b) => b.label.length));
    const lines = this.bars.map((bar) => {
      const text = bar.describe();
      const room = width - labelWidth - text.length - 6;
      const barWidth = Math.max(5, Math.min(30, room));
      const filled = Math.round((barWidth * bar.step) / Math.max(1, bar.total));
      const drawn = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
      return `${bar.label.padEnd(labelWidth)} ${drawn} ${text}`.slice(0, width - 1);
    });
    this.out.write(`${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
    this.lastDraw = this.now();
  }
}

/** Compact numbers for a status line: 0.0123, 1.23e-5, 12.3. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const magnitude = Math.abs(x);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) return x.toExponential(2);
  return x.toPrecision(3);
}

/** Seconds as m:ss or h:mm:ss. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
