// Frames the profiler could not name, and what a person can do about them. Java frames stay
// unnamed when the JVM runs without -XX:+PreserveFramePointer (eBPF stacks stop at the first JIT
// frame: "[unknown]") or when Hearth could not attach to it (no symbol map: "[jit]",
// "[interpreter]"). The agent says why in the series label REASON_LABEL (its values are the
// agent's FrameAdvice reasons, see docs/jvm.md); the page shows it.

export const UNNAMED = new Set(['[unknown]', '[jit]', '[interpreter]']);

// The series label whose values are the agent's reasons (a short code, or a sentence).
export const REASON_LABEL = 'hearth_frames_unnamed';

const REASONS = {
  'no-frame-pointers': 'the JVM runs without -XX:+PreserveFramePointer, so its stacks stop at the first Java frame',
  'attach-disabled': 'the JVM runs with -XX:+DisableAttachMechanism, so Hearth can neither ask it for its symbol map nor start async-profiler in it',
  'attach-impossible': 'Hearth cannot attach to the JVM (-Xrs, another user, or no HotSpot; the agent\'s log names which), so it can neither ask it for its symbol map nor start async-profiler in it',
};

export function reasonText(code) {
  return REASONS[code] || code;
}

// Share of the root's total spent under an unnamed frame (outermost one per stack).
export function unnamedShare(t) {
  const all = t.total[0];
  if (!(all > 0)) return 0;
  let sum = 0;
  for (let i = 1; i < t.n;) {
    if (UNNAMED.has(t.name[i])) { sum += t.total[i]; i = t.end[i]; } else i++;
  }
  return sum / all;
}

// The sentence shown above the graph, or '' when nothing worth saying is unnamed (under 1%).
export function unnamedHint(share, reasons, formatPercent) {
  if (share < 0.01 && !reasons.length) return '';
  const why = reasons.length ? ` The agent says: ${reasons.map(reasonText).join('; ')}.` : '';
  const what = share >= 0.01 ? `${formatPercent(share)} of the time is in frames without a name ([unknown], [jit], [interpreter]).` : 'Some frames have no name.';
  return `${what}${why} To name Java frames, start the JVM with -XX:+PreserveFramePointer, or let Hearth attach `
    + 'to it (the agent\'s default --jvm-mode auto; not possible with -XX:+DisableAttachMechanism).';
}
