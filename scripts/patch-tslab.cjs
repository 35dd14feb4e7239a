// Fixes a start-up race in tslab 1.0.22 with zeromq 6: tslab starts its receive loops before
// the sockets' bind() promises settle; a kernel_info_request that arrives during the bind makes
// the next receive() throw EBUSY ("Socket is blocked by a bind or unbind operation"), the shell
// loop dies and the kernel never answers (seen once in ~300 kernel starts here; a zeromq-only
// reproduction of the same pattern failed 13 times in 1000, 0 in 1000 with binds first). The patch awaits the binds
// before the loops start. Idempotent; exits non-zero if tslab's code is not the expected one.
const fs = require("node:fs");
const path = require("node:path");
const file = path.join(__dirname, "..", "node_modules", "tslab", "dist", "jupyter.js");
const MARK = "/* micrograd-ts: binds before receive loops */";
if (!fs.existsSync(file)) process.exit(0); // tslab not installed here (e.g. installed as a dependency)
let src = fs.readFileSync(file, "utf8");
if (src.includes(MARK)) process.exit(0);
const bindRe = /\n {8}await Promise\.all\(\[\n(?: {12}this\.bindSocket\(this\.\w+, cinfo\.\w+\),\n){5} {8}\]\);\n/;
const anchor = "        this.hb = new zmq.Reply();\n";
const m = src.match(bindRe);
if (!m || src.split(anchor).length !== 2) {
  console.error(`patch-tslab: unexpected contents of ${file}; not patched`);
  process.exit(1);
}
src = src.replace(m[0], "\n").replace(anchor, `${anchor}        ${MARK}${m[0]}`);
fs.writeFileSync(file, src);
console.log("patch-tslab: patched", path.relative(process.cwd(), file));
