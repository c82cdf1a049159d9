// The one source of "now" for every rule, so tests can move time forward.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that tests set and advance by hand. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: Date = new Date()) {
    this.#now = start.getTime();
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(date: Date): void {
    this.#now = date.getTime();
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}
