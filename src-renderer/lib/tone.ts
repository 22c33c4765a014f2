/**
 * The idle warning's tone: a short sound made with Web Audio (no file to ship or to swap), so the
 * warning reaches a person who does not look at the screen, whether speech is on or not.
 * Threats: a stranger switching on the test double at the kiosk (chosen only when a log object
 * exists before the app loads, as for speech: only a test's init script can put it there); a tone
 * that never stops (each one ends by itself after a fraction of a second).
 */

export interface TonePort {
  /** Plays one short warning tone. */
  warn(): void;
}

/** What the recording double writes: one entry per tone, with its pitch in hertz. */
interface ToneLog {
  played: { hz: number }[];
}

const WARN_HZ = 880;
const WARN_S = 0.35;

class WebAudioTone implements TonePort {
  readonly #make: () => AudioContext;
  #context: AudioContext | undefined;

  constructor(make: () => AudioContext) {
    this.#make = make;
  }

  warn(): void {
    // Made on first use: a context made before any touch starts suspended in Chromium.
    this.#context ??= this.#make();
    const context = this.#context;
    void context.resume().catch(() => undefined);
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = WARN_HZ;
    // A soft start and end: no click in the loudspeaker.
    const now = context.currentTime;
    gain.gain.setValueAtTime(0, now);
    gain.gain.linearRampToValueAtTime(0.3, now + 0.02);
    gain.gain.linearRampToValueAtTime(0, now + WARN_S);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(now);
    oscillator.stop(now + WARN_S);
  }
}

class RecordingTone implements TonePort {
  readonly #log: ToneLog;

  constructor(log: ToneLog) {
    this.#log = log;
  }

  warn(): void {
    this.#log.played.push({ hz: WARN_HZ });
  }
}

const isLog = (value: unknown): value is ToneLog => typeof value === 'object' && value !== null && Array.isArray((value as ToneLog).played);

/** The port for this window: the recording double where a test installed its log before the app loaded, else Web Audio. */
export function createTone(win: Window & { __kontokioskTone?: unknown; AudioContext?: typeof AudioContext }): TonePort {
  if (isLog(win.__kontokioskTone)) return new RecordingTone(win.__kontokioskTone);
  if (typeof win.AudioContext !== 'function') return { warn: () => undefined };
  const Context = win.AudioContext;
  return new WebAudioTone(() => new Context());
}
