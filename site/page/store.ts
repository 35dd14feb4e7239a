/**
 * What a learner changed on a page, kept in the browser's localStorage (one entry per page, so every
 * page of a site opened from disk or from one host keeps its own): edited cells' code by cell index,
 * scratch cells (where they sit and their code), and whether Type along is on. Written on every change;
 * read back when the page opens.
 */

export interface ScratchCell {
  id: string;
  /** The notebook cell index it sits below (scratch cells below one cell keep their order). */
  after: number;
  source: string;
}

export interface Saved {
  edits: Record<string, string>;
  scratch: ScratchCell[];
  typeAlong: boolean;
}

const empty = (): Saved => ({ edits: {}, scratch: [], typeAlong: false });

export class PageStore {
  readonly key: string;
  saved: Saved;

  constructor(page: string) {
    this.key = `micrograd-ts/site/v1/${page}`;
    this.saved = empty();
    try {
      const text = localStorage.getItem(this.key);
      if (text !== null) this.saved = { ...empty(), ...(JSON.parse(text) as Partial<Saved>) };
    } catch {
      // Storage refused (private mode, or a corrupt entry): the page works, without keeping edits.
    }
  }

  private write(): void {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.saved));
    } catch {
      // Full or refused: nothing to do but carry on (the editors still hold the code).
    }
  }

  setEdit(index: number, source: string | null): void {
    if (source === null) delete this.saved.edits[index];
    else this.saved.edits[index] = source;
    this.write();
  }

  setScratch(list: ScratchCell[]): void {
    this.saved.scratch = list;
    this.write();
  }

  setTypeAlong(on: boolean): void {
    this.saved.typeAlong = on;
    this.write();
  }

  clear(): void {
    this.saved = empty();
    try {
      localStorage.removeItem(this.key);
    } catch {
      // as in write()
    }
  }
}
