/**
 * A notebook cell's TypeScript turned into a function the worker can run with tslab's semantics:
 *
 * - types are stripped by sucrase (TypeScript itself for a cell with a `namespace`, which sucrase drops);
 * - top-level names are shared by all cells and may be declared again when a cell runs again: `const`,
 *   `let` and `var` declarations and imports define properties of the worker's global object, and every
 *   later reference to them (in this cell and the others, and closures) reads that property, as tslab's
 *   `exports.x`; `var` is hoisted and keeps its value when declared again;
 * - `import("m")` loads through the worker's module loader, as a static import;
 *   functions and classes stay local to their cell, as in tslab, and are copied to the global object;
 * - top-level `await` works (the cell is an async function);
 * - the last statement, when it is an expression, is the cell's value (tslab prints it unless it is null
 *   or undefined).
 *
 * Line numbers are kept: an error's line in the cell is the line the learner sees.
 */
import { type Node, type Pattern, type Program, parse, type Statement } from "acorn";
import { simple } from "acorn-walk";
import { transform } from "sucrase";
import { CellSyntaxError } from "./errors";

/** The name under which a compiled cell receives the runtime (see CellRuntime in main.ts). */
export const RUNTIME = "__mgts";

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * The source of a function expression `async function (__mgts) {…}`: called with the runtime, it runs
 * the cell and resolves to `[value]` when the last statement is an expression, else to undefined.
 * `tag` names the code in stack traces (its sourceURL). Throws a CellSyntaxError with the line and column
 * within the cell when the cell does not parse.
 */
export function compileCell(source: string, tag: string, stripTypes: StripTypes = sucrase): string {
  let js: string;
  try {
    js = stripTypes(source);
  } catch (e) {
    throw syntaxError(e, 1);
  }
  let program: Program;
  try {
    program = parse(js, { ecmaVersion: "latest", sourceType: "module", allowAwaitOutsideFunction: true });
  } catch (e) {
    throw syntaxError(e, 0);
  }
  const edits: Edit[] = [];
  const hoisted: string[] = [];
  const declared: string[] = [];
  const statements = program.body;
  for (const [i, node] of statements.entries()) {
    const last = i === statements.length - 1;
    rewrite(node as Statement, js, edits, { hoisted, declared }, last);
  }
  // `import("m")` anywhere goes through the worker's module loader, as `import … from "m"` does.
  simple(program, {
    ImportExpression(node) {
      const call = node as import("acorn").ImportExpression;
      edits.push({ start: call.start, end: call.source.start, text: `${RUNTIME}.load(` });
    },
  });
  const declare = declared.length > 0 ? `${RUNTIME}.declare(${JSON.stringify(declared)});` : "";
  const define = hoisted.length > 0 ? `${RUNTIME}.define({ ${hoisted.join(", ")} });` : "";
  const prologue = `"use strict";${declare}${define}`;
  return `(async function (${RUNTIME}) {${prologue}${applyEdits(js, edits)}\n})\n//# sourceURL=${tag}`;
}

/** TypeScript to JavaScript, types removed; lines kept where the stripper can. */
export type StripTypes = (source: string) => string;

/** sucrase: fast and small, keeps lines and columns; drops `namespace` blocks (see usesNamespace). */
const sucrase: StripTypes = (source) =>
  transform(source, {
    transforms: ["typescript"],
    disableESTransforms: true, // the browser runs modern JavaScript as it is
    keepUnusedImports: true, // a later cell may use what this one imports, as in tslab
  }).code;

/** A cell declaring a namespace, which sucrase would drop: the worker compiles it with TypeScript instead. */
export const usesNamespace = (source: string) => /(^|[\s;{}])(namespace|module)\s+[A-Za-z_$][\w$.]*\s*\{/.test(source);

/** sucrase's and acorn's errors end in "(line:column)" and carry `loc`: sucrase's column counts from 1, acorn's from 0. */
function syntaxError(e: unknown, columnFrom: 0 | 1): CellSyntaxError {
  const { message, loc } = e as { message: string; loc?: { line: number; column: number } };
  const column = (loc?.column ?? columnFrom) + (1 - columnFrom);
  return new CellSyntaxError(message.replace(/ \(\d+:\d+\)$/, ""), loc?.line ?? 1, column);
}

/** The names a cell declares: functions (hoisted, defined first) and var/let/const (declared first). */
interface Names {
  hoisted: string[];
  declared: string[];
}

function rewrite(node: Node, js: string, edits: Edit[], names: Names, last: boolean): void {
  const text = (n: Node) => js.slice(n.start, n.end);
  switch (node.type) {
    case "ImportDeclaration": {
      const decl = node as import("acorn").ImportDeclaration;
      const from = JSON.stringify(decl.source.value);
      const parts = decl.specifiers.map((s) => {
        if (s.type === "ImportNamespaceSpecifier") return `${s.local.name}: m`;
        if (s.type === "ImportDefaultSpecifier") return `${s.local.name}: ${RUNTIME}.defaultOf(m)`;
        const imported = s.imported.type === "Identifier" ? s.imported.name : String(s.imported.value);
        return `${s.local.name}: m[${JSON.stringify(imported)}]`;
      });
      const load = `await ${RUNTIME}.load(${from})`;
      const body =
        parts.length === 0 ? `${load};` : `{ const m = ${load}; ${RUNTIME}.define({ ${parts.join(", ")} }); }`;
      edits.push({ start: node.start, end: node.end, text: body + newlines(text(node)) });
      return;
    }
    case "VariableDeclaration": {
      // As tslab's exports: each name is a property of the global object, declared before the cell runs
      // (so `var` is hoisted, and a closure written now sees later assignments), and the declaration
      // becomes assignments: `let a = 1, { b } = o` runs as `;(a = 1, { b } = o);`.
      const decl = node as import("acorn").VariableDeclaration;
      const first = decl.declarations[0];
      const lastDeclarator = decl.declarations[decl.declarations.length - 1];
      if (first === undefined || lastDeclarator === undefined) return;
      names.declared.push(...decl.declarations.flatMap((d) => boundNames(d.id)));
      edits.push({ start: node.start, end: first.start, text: ";(" });
      for (const d of decl.declarations) {
        if (d.init) continue;
        // `var x;` keeps x's value; `let x;` sets it to undefined.
        const text = decl.kind === "var" ? "void 0" : `${js.slice(d.id.start, d.id.end)} = undefined`;
        edits.push({ start: d.start, end: d.end, text });
      }
      edits.push({ start: lastDeclarator.end, end: node.end, text: ");" });
      return;
    }
    case "FunctionDeclaration": {
      const id = (node as import("acorn").FunctionDeclaration).id;
      if (id) names.hoisted.push(id.name); // a declaration is hoisted: defined before the cell's first line runs
      return;
    }
    case "ClassDeclaration": {
      const id = (node as import("acorn").ClassDeclaration).id;
      if (id) edits.push({ start: node.end, end: node.end, text: `; ${RUNTIME}.define({ ${id.name} });` });
      return;
    }
    case "ExportNamedDeclaration": {
      const decl = (node as import("acorn").ExportNamedDeclaration).declaration;
      if (decl) {
        edits.push({ start: node.start, end: decl.start, text: "" }); // a cell's names are shared anyway
        rewrite(decl, js, edits, names, last);
        return;
      }
      throw exportError(node, js);
    }
    case "ExportDefaultDeclaration":
    case "ExportAllDeclaration":
      throw exportError(node, js);
    case "ExpressionStatement": {
      if (!last) return;
      const expression = (node as import("acorn").ExpressionStatement).expression;
      // In an array, so that a Promise is printed as one (tslab does not await a cell's value).
      edits.push({ start: node.start, end: expression.start, text: "return [(" });
      edits.push({ start: expression.end, end: node.end, text: ")];" });
      return;
    }
    default:
      return;
  }
}

/** `export` at a cell's top level, where tslab refuses it too. */
function exportError(node: Node, js: string): CellSyntaxError {
  const line = js.slice(0, node.start).split("\n").length;
  const column = node.start - js.lastIndexOf("\n", node.start - 1);
  return new CellSyntaxError(
    `a notebook cell cannot export: ${js.slice(node.start, node.end).split("\n")[0]}`,
    line,
    column,
  );
}

/** The names a declaration binds: `x`, or every name in a destructuring pattern. */
function boundNames(pattern: Pattern): string[] {
  switch (pattern.type) {
    case "Identifier":
      return [pattern.name];
    case "ObjectPattern":
      return pattern.properties.flatMap((p) => boundNames(p.type === "RestElement" ? p.argument : p.value));
    case "ArrayPattern":
      return pattern.elements.flatMap((e) => (e === null ? [] : boundNames(e)));
    case "AssignmentPattern":
      return boundNames(pattern.left);
    case "RestElement":
      return boundNames(pattern.argument);
    default:
      return []; // member expressions only occur in assignments, not in declarations
  }
}

/** The newlines of `text`, so that a replacement keeps the lines after it where they were. */
function newlines(text: string): string {
  return "\n".repeat(text.split("\n").length - 1);
}

function applyEdits(js: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = "";
  let at = 0;
  for (const e of sorted) {
    out += js.slice(at, e.start) + e.text;
    at = Math.max(at, e.end);
  }
  return out + js.slice(at);
}
