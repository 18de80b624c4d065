import type { ProgressEvent, ProgressSink } from '../../../compose/project/progress.js';

interface Line {
  id: string;
  status: string;
  detail?: string;
  started: number;
  ended?: number;
  error?: boolean;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * docker compose's live view in a terminal: one line per resource with its state and elapsed time, redrawn in
 * place, `[+] Running N/M` on top. (A small renderer of our own: listr2's task model does not fit events that
 * arrive from a plan being applied in parallel.)
 */
export function ttyProgress(out: NodeJS.WriteStream): { sink: ProgressSink; finish: () => void } {
  const lines: Line[] = [];
  let drawn = 0;
  let frame = 0;
  const draw = (): void => {
    const now = Date.now();
    const done = lines.filter((l) => l.ended !== undefined).length;
    const text = [`[+] Running ${done}/${lines.length}`, ...lines.map((l) => render(l, now, frame))];
    out.write(`${drawn ? `\x1b[${drawn}A` : ''}${text.map((t) => `\x1b[2K${t}\n`).join('')}`);
    drawn = text.length;
    frame++;
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  const sink: ProgressSink = (e: ProgressEvent) => {
    const id = `${e.kind} ${e.name}`;
    let line = lines.find((l) => l.id === id);
    if (!line) lines.push((line = { id, status: e.status, started: Date.now() }));
    Object.assign(line, { status: e.status, ...(e.detail ? { detail: e.detail } : {}), ...(e.error ? { error: true } : {}) });
    if (e.done) line.ended = Date.now();
    else delete line.ended;
  };
  return {
    sink,
    finish: () => {
      clearInterval(timer);
      if (lines.length) draw();
    },
  };
}

function render(line: Line, now: number, frame: number): string {
  const mark = line.error ? '\x1b[31m✘\x1b[0m' : line.ended !== undefined ? '\x1b[32m✔\x1b[0m' : SPINNER[frame % SPINNER.length];
  const seconds = (((line.ended ?? now) - line.started) / 1000).toFixed(1);
  return ` ${mark} ${line.id.padEnd(40)} ${line.status}${line.detail ? ` (${line.detail})` : ''}`.padEnd(72) + ` ${seconds}s`;
}
