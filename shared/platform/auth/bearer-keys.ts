import { createHash } from 'node:crypto';

/**
 * Resolves `Authorization: Bearer <key>` to the owner of the key. Keys are looked up by their
 * SHA-256, so the lookup's timing says nothing about how much of a guessed key was right.
 */
export class BearerKeys {
  readonly #owners = new Map<string, string>();

  constructor(owners: ReadonlyArray<{ id: string; keys: readonly string[] }>) {
    for (const owner of owners) for (const key of owner.keys) this.#owners.set(digest(key), owner.id);
  }

  /** The owner's id, or undefined for a missing, malformed or unknown key. */
  tryOwner(authorization: string | undefined): string | undefined {
    const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    return match?.[1] ? this.#owners.get(digest(match[1])) : undefined;
  }
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('base64');
}
