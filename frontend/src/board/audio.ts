// The board's sound through Web Audio, in time with its LEDs. A board plays one stream of
// timed events (docs/board-protocol.md, Audio): a tone from an instant (music), sample
// clips on channels (speech, sound effects, audio frames), cuts, and the volume.

const LEAD_S = 0.08; // scheduled this far ahead of the board's time, to play smoothly
const TONE_LEVEL = 0.15; // a square wave is loud: keep it comfortable

export class BoardSound {
  private ctx: AudioContext | null = null;
  private master: GainNode | null = null; // the board's volume
  private mute: GainNode | null = null;
  private offset: number | null = null; // audio time of board time 0, in seconds
  private tone: OscillatorNode | null = null;
  private clips = new Map<string, AudioBufferSourceNode>();
  muted = false;

  private context(): AudioContext {
    if (!this.ctx) {
      this.ctx = new AudioContext();
      this.mute = this.ctx.createGain();
      this.mute.gain.value = this.muted ? 0 : 1;
      this.mute.connect(this.ctx.destination);
      this.master = this.ctx.createGain();
      this.master.connect(this.mute);
    }
    return this.ctx;
  }

  /** When board time ``ms`` plays; the clock is set again if the board got ahead or behind. */
  private at(ms: number): number {
    const ctx = this.context();
    const when = this.offset === null ? -1 : this.offset + ms / 1000;
    if (when < ctx.currentTime || when > ctx.currentTime + 1) {
      this.offset = ctx.currentTime + LEAD_S - ms / 1000;
      return ctx.currentTime + LEAD_S;
    }
    return when;
  }

  /** One audio event from the board. */
  play(event: { t: number; [field: string]: any }): void {
    const ctx = this.context();
    const when = this.at(event.t);
    if ("freq" in event) {
      this.tone?.stop(when);
      this.tone = null;
      if (event.freq) {
        const osc = ctx.createOscillator();
        osc.type = "square";
        osc.frequency.value = event.freq;
        const gain = ctx.createGain();
        gain.gain.value = TONE_LEVEL;
        osc.connect(gain).connect(this.master!);
        osc.start(when);
        this.tone = osc;
      }
    } else if ("clip" in event) {
      const raw = atob(event.pcm);
      if (!raw.length) return;
      const buffer = ctx.createBuffer(1, raw.length, Math.max(3000, event.rate));
      const samples = buffer.getChannelData(0);
      for (let i = 0; i < raw.length; i++) samples[i] = (raw.charCodeAt(i) - 128) / 128;
      this.clips.get(event.clip)?.stop(when);
      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(this.master!);
      source.start(when);
      this.clips.set(event.clip, source);
    } else if ("cut" in event) {
      this.clips.get(event.cut)?.stop(when);
      this.clips.delete(event.cut);
    } else if ("volume" in event) {
      this.master!.gain.setValueAtTime(event.volume, when);
    }
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    if (this.mute) this.mute.gain.value = muted ? 0 : 1;
  }

  /** The board stopped or restarted: silence, and a fresh clock for the next sound. */
  silence(): void {
    this.tone?.stop();
    this.tone = null;
    for (const clip of this.clips.values()) clip.stop();
    this.clips.clear();
    this.offset = null;
  }
}

const QUIET = 2; // samples this close to the centre (128) are silence: an empty audio frame

/** Whether any sample of an 8-bit clip is away from the centre, i.e. makes a sound. */
function heard(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    if (Math.abs(raw.charCodeAt(i) - 128) > QUIET) return true;
  }
  return false;
}

/** Whether the board is making a sound now, told from the same events the speakers get: a
 * tone until a null tone, a clip for as long as its samples last (a clip has no end event:
 * the next one replaces it) or until it is cut, nothing at volume 0. The picture lights
 * its speaker by it. */
export class Audible {
  private tone = false;
  private clips = new Map<string, number>(); // channel → the timer ending its clip
  private volume = 1;
  private now = false;

  constructor(private changed: (audible: boolean) => void) {}

  /** One audio event; ``t`` is the board time the message was sent (``event.t`` may be ahead). */
  hear(event: { t: number; [field: string]: any }, t: number): void {
    if ("freq" in event) {
      this.tone = !!event.freq;
    } else if ("clip" in event) {
      this.end(event.clip);
      const raw = typeof event.pcm === "string" ? atob(event.pcm) : "";
      if (event.rate > 0 && heard(raw)) {
        const ms = (raw.length / event.rate) * 1000 + Math.max(0, event.t - t);
        this.clips.set(event.clip, window.setTimeout(() => {
          this.clips.delete(event.clip);
          this.update();
        }, ms));
      }
    } else if ("cut" in event) {
      this.end(event.cut);
    } else if ("volume" in event) {
      this.volume = Number(event.volume) || 0;
    }
    this.update();
  }

  /** The board stopped or restarted: nothing sounds, and the volume is the board's default. */
  silence(): void {
    for (const channel of [...this.clips.keys()]) this.end(channel);
    this.tone = false;
    this.volume = 1;
    this.update();
  }

  private end(channel: string): void {
    window.clearTimeout(this.clips.get(channel));
    this.clips.delete(channel);
  }

  private update(): void {
    const now = this.volume > 0 && (this.tone || this.clips.size > 0);
    if (now !== this.now) {
      this.now = now;
      this.changed(now);
    }
  }
}
