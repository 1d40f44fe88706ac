// Progress of a backtest on stderr (cli-progress), redrawn at most every 100 ms; the caller
// shows it only when stderr is a terminal or --progress asks, so CI logs stay clean.
import cliProgress from 'cli-progress';

export interface Progress {
  update: (done: number, total: number) => void;
  stop: () => void;
}

export function createProgress(label: string): Progress {
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: `${label.padEnd(16)} [{bar}] {percentage}% | {value}/{total} records | eta {eta_formatted}`,
    barCompleteChar: '#',
    barIncompleteChar: '.',
    hideCursor: false,
    clearOnComplete: false,
    fps: 10,
    noTTYOutput: true,
    notTTYSchedule: 1_000,
  });
  let started = false;
  let shown = 0;
  return {
    update: (done, total) => {
      if (!started) { bar.start(total, 0); started = true; }
      // Updating every record costs more than the step itself: every 256 is plenty.
      if (done - shown >= 256 || done === total) { bar.update(done); shown = done; }
    },
    stop: () => { if (started) bar.stop(); },
  };
}
