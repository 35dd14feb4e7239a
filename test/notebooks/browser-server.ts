/**
 * A Jupyter server for the browser tests, serving JupyterLab 4 (/lab) and Notebook 7 (/notebooks) from
 * one process: on 127.0.0.1, a free random port, a random token, a temporary copy of the lectures
 * (notebooks/ is never touched), the project's own tslab kernelspec and no user configuration,
 * settings or workspaces. Its kernels' connection files live in the copy's own runtime dir, so that
 * `stop` can tell for sure whether any process it started outlived the server.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const jupyter = require("../../scripts/jupyter-env.cjs") as {
  root: string;
  writeKernelSpec(): string;
  jupyterEnv(base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  findPython(): string | null;
  jupyterVersions(python?: string): Record<string, string>;
  lectureNames(only?: string[]): string[];
};

export interface JupyterServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  token: string;
  /** The temporary copy of notebooks/ it serves. */
  dir: string;
  /** Package versions: jupyterlab, notebook, jupyter_server, … */
  versions: Record<string, string>;
  pid: number;
  /** The server's output so far. */
  output(): string;
  /** GET/DELETE on the REST API with the token. */
  api(path: string, method?: string): Promise<unknown>;
  /**
   * Shuts the kernels down, stops the server's process group and removes the copy. Returns the
   * processes that were still alive afterwards (then killed), as "pid: command line": [] when clean.
   */
  stop(): Promise<string[]>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Processes (pid, command line) whose command line mentions `text`, other than this one. */
function processesMentioning(text: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      if (cmdline.includes(text)) found.push({ pid: Number(entry), cmdline });
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts `jupyter lab` (Notebook 7's pages come with it) on the project's Jupyter and waits (≤ 60 s)
 * until its API answers. Throws with the server's output if not.
 */
export async function startJupyterServer(python: string): Promise<JupyterServer> {
  jupyter.writeKernelSpec();
  mkdirSync(join(jupyter.root, "build"), { recursive: true });
  // Under the checkout, so that the notebooks' `import … from "micrograd-ts"` resolves as from notebooks/.
  const dir = mkdtempSync(join(jupyter.root, "build", "browser-live-"));
  for (const name of jupyter.lectureNames()) copyFileSync(join(jupyter.root, "notebooks", name), join(dir, name));
  // Notebook 5's module files as a learner has them once written (the solved ones: the learner's copies
  // train nothing, and its decision boundary would be empty), and the type-along editions.
  const folders = {
    micrograd: join(jupyter.root, "solutions", "micrograd"),
    "type-along": join(jupyter.root, "notebooks", "type-along"),
  };
  for (const [sub, from] of Object.entries(folders)) {
    mkdirSync(join(dir, sub));
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const [source, copy] = [join(from, entry.name), join(dir, sub, entry.name)];
      if (entry.isSymbolicLink())
        symlinkSync(readlinkSync(source), copy); // type-along/micrograd → ../micrograd
      else copyFileSync(source, copy);
    }
  }
  const state = join(dir, ".state");
  const env = {
    ...jupyter.jupyterEnv(),
    JUPYTER_RUNTIME_DIR: join(state, "runtime"),
    JUPYTER_CONFIG_DIR: join(state, "config"), // no user configuration
    JUPYTER_DATA_DIR: join(state, "data"), // a fresh notebook secret: copies signed elsewhere are untrusted here
    JUPYTERLAB_SETTINGS_DIR: join(state, "settings"), // JupyterLab's defaults, as a new user has them
    JUPYTERLAB_WORKSPACES_DIR: join(state, "workspaces"),
  };
  // A new user is asked whether to fetch Jupyter news, in a toast that would sit in the screenshots.
  const notification = join(env.JUPYTERLAB_SETTINGS_DIR, "@jupyterlab", "apputils-extension");
  mkdirSync(notification, { recursive: true });
  writeFileSync(join(notification, "notification.jupyterlab-settings"), '{ "fetchNews": "false" }\n');
  const versions = jupyter.jupyterVersions(python);
  const token = randomBytes(24).toString("hex");
  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const args = ["-m", "jupyter", "lab", "--no-browser", "--ip", "127.0.0.1", `--port=${port}`, "--port-retries=0"];
    if (process.getuid?.() === 0) args.push("--allow-root");
    args.push(`--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${dir}`);
    const child = spawn(python, args, { env, cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    const killGroup = () => {
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        // already gone
      }
    };
    process.once("exit", killGroup); // never leave a server behind, even if the run is aborted
    const url = `http://127.0.0.1:${port}`;
    const api = async (path: string, method = "GET") => {
      const response = await fetch(`${url}${path}`, { method, headers: { Authorization: `token ${token}` } });
      if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
      return response.status === 204 ? null : response.json();
    };
    const deadline = Date.now() + 60_000;
    let up = false;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        await api("/api/status");
        up = true;
        break;
      } catch {
        await delay(250);
      }
    }
    if (!up) {
      killGroup();
      await exited(child, 10_000);
      process.removeListener("exit", killGroup);
      lastError = output;
      continue; // the port was taken meanwhile, most likely: another one
    }
    return {
      url,
      token,
      dir,
      versions,
      pid: child.pid as number,
      output: () => output,
      api,
      async stop() {
        try {
          for (const k of (await api("/api/kernels")) as { id: string }[]) await api(`/api/kernels/${k.id}`, "DELETE");
        } catch {
          // the server may be gone already; its process group is stopped below anyway
        }
        try {
          process.kill(-(child.pid as number), "SIGTERM");
        } catch {
          // already gone
        }
        if (!(await exited(child, 15_000))) killGroup();
        await exited(child, 5_000);
        process.removeListener("exit", killGroup);
        // Kernels run in sessions of their own: any that outlived the server names a connection file in dir.
        const leftovers = processesMentioning(dir);
        for (const p of leftovers) {
          try {
            process.kill(p.pid, "SIGKILL");
          } catch {
            // ended meanwhile
          }
        }
        rmSync(dir, { recursive: true, force: true });
        return leftovers.map((p) => `${p.pid}: ${p.cmdline.slice(0, 200)}`);
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`the Jupyter server did not start in 60 s (3 attempts). Its output:\n${lastError}`);
}
