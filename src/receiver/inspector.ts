/**
 * The receiver as an inspector: each accepted event gets its match (keys,
 * score, missing keys) and its warnings, and a running summary counts them
 * all since the start or the last clear (`GET /summary`, the live page's
 * header). The summary is a handful of counters, whatever the traffic.
 */
import { matchOf } from './match.js';
import type { Match } from './match.js';
import { WARNING_KINDS, Warnings, warningKind } from './warnings.js';
import type { Inspected, WarningKind } from './warnings.js';

export interface Inspection {
  match: Match;
  warnings: string[];
}

/** `GET /summary`: every event accepted since the start or the last clear, not only those still kept. */
export interface Summary {
  events: number;
  /** The mean of their scores, to one decimal; null before the first event. */
  averageScore: number | null;
  /** Events with at least one warning. */
  eventsWithWarnings: number;
  /** Warnings of each kind, every kind listed (0 when none). */
  warnings: Record<WarningKind, number>;
}

function noWarnings(): Record<WarningKind, number> {
  return Object.fromEntries(WARNING_KINDS.map((kind) => [kind, 0])) as Record<WarningKind, number>;
}

export class Inspector {
  private readonly warnings = new Warnings();
  private events = 0;
  private scoreSum = 0;
  private eventsWithWarnings = 0;
  private byKind = noWarnings();

  /** Inspects one event, in arrival order, and counts it. */
  inspect(inspected: Inspected): Inspection {
    const match = matchOf(inspected.event, inspected.record);
    const warnings = this.warnings.of(inspected);
    this.events++;
    this.scoreSum += match.score;
    if (warnings.length > 0) this.eventsWithWarnings++;
    for (const text of warnings) {
      const kind = warningKind(text);
      if (kind !== undefined) this.byKind[kind]++;
    }
    return { match, warnings };
  }

  summary(): Summary {
    return {
      events: this.events,
      averageScore: this.events === 0 ? null : Math.round((this.scoreSum / this.events) * 10) / 10,
      eventsWithWarnings: this.eventsWithWarnings,
      warnings: { ...this.byKind },
    };
  }

  clear(): void {
    this.warnings.clear();
    this.events = 0;
    this.scoreSum = 0;
    this.eventsWithWarnings = 0;
    this.byKind = noWarnings();
  }
}
