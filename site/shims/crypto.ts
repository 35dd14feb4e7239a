/** node:crypto for the package in the browser: randomBytes (display ids), from the Web Crypto API. */
import { Buffer } from "buffer";

const webCrypto = globalThis.crypto; // taken now: a cell may declare a top-level `crypto` of its own

export function randomBytes(size: number): Buffer {
  return Buffer.from(webCrypto.getRandomValues(new Uint8Array(size)));
}
