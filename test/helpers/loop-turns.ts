/** Counts turns of the event loop (a setImmediate that re-arms itself) until stopped. */
export function loopTurns(): { count: () => number; stop: () => void } {
  let turns = 0;
  let on = true;
  const tick = (): void => {
    turns++;
    if (on) setImmediate(tick);
  };
  setImmediate(tick);
  return { count: () => turns, stop: () => (on = false) };
}
