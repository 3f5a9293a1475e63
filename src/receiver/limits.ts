/**
 * The receiver's bounds: how much work, memory and output one request can
 * cost. Input from the network decides none of them. Each number is a
 * refusal or a cut that legitimate traffic from the SDK never meets: a flood
 * gets a short 400 or a line cut short, never a 500, a huge reply, or memory
 * that stays taken.
 */

/** A terminal log line is cut to this many characters: one screen, enough for a few problems. */
export const MAX_LOG_LINE = 1_000;
