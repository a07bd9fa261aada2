/** Hands out increasing numeric ids, so objects created after a reset get the same ids every run. */
export class IdSequence {
  #next: number;

  constructor(start: number) {
    this.#next = start;
  }

  next(): number {
    const id = this.#next;
    this.#next += 1;
    return id;
  }
}

/** GitHub's legacy global node id: base64 of `0<type length>:<type><id>`, e.g. `MDY6Q29tbWl0…`. */
export function legacyNodeId(type: string, id: number | string): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64');
}
