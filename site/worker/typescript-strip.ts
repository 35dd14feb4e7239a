/** A cell compiled by TypeScript's own transpiler (the worker loads it on demand: typescript.ts). */
import type * as TS from "typescript";
import type { StripTypes } from "./cell-compiler";

/** Types removed by TypeScript's transpiler, every import kept (as sucrase's keepUnusedImports). */
export function typescriptStripper(ts: typeof TS): StripTypes {
  return (source) => {
    const out = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
      reportDiagnostics: true,
    });
    const error = out.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
    if (error !== undefined && error.file !== undefined && error.start !== undefined) {
      const { line, character } = error.file.getLineAndCharacterOfPosition(error.start);
      const message = ts.flattenDiagnosticMessageText(error.messageText, "\n");
      throw Object.assign(new SyntaxError(message), { loc: { line: line + 1, column: character + 1 } });
    }
    return out.outputText;
  };
}
