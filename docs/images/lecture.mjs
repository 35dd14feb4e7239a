// The lecture's L = (a·b + c)·f with its labels, before backward(), for the README's picture scripts.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { Value } = require("../../dist/index.js");

export function lectureL() {
  const a = new Value(2.0, { label: "a" });
  const b = new Value(-3.0, { label: "b" });
  const c = new Value(10.0, { label: "c" });
  const e = a.mul(b);
  e.label = "e";
  const d = e.add(c);
  d.label = "d";
  const f = new Value(-2.0, { label: "f" });
  const L = d.mul(f);
  L.label = "L";
  return L;
}
