import { useCallback, useEffect, useRef, useState } from 'react';

/** Replay length: long enough to follow, short enough not to wait for (1.5 to 5 s). */
export function replayDurationMs(steps: number): number {
  return Math.min(5000, Math.max(1500, steps * 8));
}

/**
 * Plays the race from step 0 to the last, one animation frame at a time, by moving the
 * shown step. `onStep(null)` at the end hands the plot back to "show every step".
 * Changing `steps` or unmounting stops it. `onStep` should be stable (a dispatch).
 */
export function useReplay(steps: number, onStep: (step: number | null) => void) {
  const [playing, setPlaying] = useState(false);
  const frame = useRef<number | null>(null);

  const stop = useCallback(() => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    frame.current = null;
    setPlaying(false);
  }, []);

  const play = useCallback(() => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    const duration = replayDurationMs(steps);
    const t0 = performance.now();
    setPlaying(true);
    const tick = (now: number) => {
      const fraction = Math.min(1, (now - t0) / duration);
      if (fraction >= 1) {
        frame.current = null;
        setPlaying(false);
        onStep(null);
        return;
      }
      onStep(Math.round(fraction * steps));
      frame.current = requestAnimationFrame(tick);
    };
    onStep(0);
    frame.current = requestAnimationFrame(tick);
  }, [steps, onStep]);

  useEffect(() => stop, [steps, stop]);
  return { playing, play, stop };
}
