/**
 * Type checking a cell as tslab does, in outline: the cell is a module checked against the declarations
 * of the cells that ran before it, kept in a script of global declarations (context.ts) where a later
 * cell's name replaces an earlier one's. What each run cell leaves there: its imports as `typeof
 * import("m").X` (and a type alias when X is a type), its variables and functions as `declare var` with
 * their inferred types, its classes, interfaces, type aliases, enums and namespaces as written.
 * A declaration that does not check there (a type the context cannot name) only makes that name
 * looser: the context's own errors are never reported.
 */
import type * as TS from "typescript";
import type { CellProblem } from "../protocol";

export const CELL_FILE = "/cell.ts";
export const CONTEXT_FILE = "/context.ts";

/** The cell's text as checked: a module (its names shadow the context's), lines unchanged. */
export const cellText = (source: string) => `${source}\nexport {};\n`;

export function problemsOf(ts: typeof TS, diagnostics: readonly TS.Diagnostic[]): CellProblem[] {
  return diagnostics
    .filter((d) => d.category === ts.DiagnosticCategory.Error && d.file !== undefined && d.start !== undefined)
    .map((d) => {
      const { line, character } = (d.file as TS.SourceFile).getLineAndCharacterOfPosition(d.start as number);
      return { line: line + 1, column: character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") };
    });
}

/** The context's declarations by name (insertion order kept; a name declared again moves to the end). */
export type Context = Map<string, string>;

export const contextText = (context: Context) => `${[...context.values()].join("\n")}\n`;

function set(context: Context, name: string, text: string): void {
  context.delete(name);
  context.set(name, text);
}

/** Adds what a cell that ran declares at its top level to `context`. */
export function addCell(ts: typeof TS, program: TS.Program, context: Context): void {
  const file = program.getSourceFile(CELL_FILE);
  if (file === undefined) return;
  const checker = program.getTypeChecker();
  const typeOf = (node: TS.Node): string => {
    const type = checker.getTypeAtLocation(node);
    // written from the cell's scope: a type that an earlier cell's name shadows there (the package's MLP
    // after `import { MLP } from "./micrograd/nn"`) is written as import("…").MLP, not as the other MLP
    return checker.typeToString(type, file, ts.TypeFormatFlags.NoTruncation);
  };
  const text = (node: TS.Node) => node.getText(file);
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      const from = JSON.stringify((statement.moduleSpecifier as TS.StringLiteral).text);
      const clause = statement.importClause;
      if (clause === undefined || clause.isTypeOnly) continue;
      if (clause.name)
        set(context, clause.name.text, `declare var ${clause.name.text}: typeof import(${from}).default;`);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) {
        const name = bindings.name.text;
        const types = moduleTypeNames(ts, checker, statement.moduleSpecifier);
        const namespace = types.map((t) => `export type ${t} = import(${from}).${t};`).join(" ");
        // the namespace, type-only, merges with the var: `mg.Value` then works as a type too, as in tslab
        set(context, name, `declare var ${name}: typeof import(${from}); declare namespace ${name} { ${namespace} }`);
      } else if (bindings) {
        for (const s of bindings.elements) {
          if (s.isTypeOnly) continue;
          const imported = (s.propertyName ?? s.name).text;
          const symbol = checker.getSymbolAtLocation(s.name);
          const target = symbol === undefined ? undefined : checker.getAliasedSymbol(symbol);
          const flags = target?.flags ?? ts.SymbolFlags.Value;
          const parts: string[] = [];
          if (flags & ts.SymbolFlags.Value)
            parts.push(`declare var ${s.name.text}: typeof import(${from}).${imported};`);
          if (flags & ts.SymbolFlags.Type) parts.push(`type ${s.name.text} = import(${from}).${imported};`);
          set(context, s.name.text, parts.join(" "));
        }
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        for (const name of boundIdentifiers(ts, d.name))
          set(context, name.text, `declare var ${name.text}: ${typeOf(name)};`);
      }
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      set(context, statement.name.text, `declare var ${statement.name.text}: ${typeOf(statement.name)};`);
    } else if (
      (ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement) ||
        ts.isModuleDeclaration(statement)) &&
      statement.name !== undefined &&
      ts.isIdentifier(statement.name)
    ) {
      set(context, statement.name.text, text(statement).replace(/^export\s+/, ""));
    }
  }
}

/** The names of a module's exported types (classes, interfaces, aliases, enums) that take no type parameter. */
function moduleTypeNames(ts: typeof TS, checker: TS.TypeChecker, specifier: TS.Expression): string[] {
  const module = checker.getSymbolAtLocation(specifier);
  if (module === undefined) return [];
  return checker.getExportsOfModule(module).flatMap((exported) => {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(target.flags & ts.SymbolFlags.Type)) return [];
    const generic = (target.declarations ?? []).some(
      (d) =>
        (ts.isClassDeclaration(d) || ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d)) && d.typeParameters,
    );
    return generic ? [] : [exported.name];
  });
}

function boundIdentifiers(ts: typeof TS, name: TS.BindingName): TS.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : boundIdentifiers(ts, e.name)));
}
