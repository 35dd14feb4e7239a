#!/usr/bin/python3
"""Execute a Jupyter notebook headlessly with nbclient and print a JSON report on stdout.

Run with Debian's Python (/usr/bin/python3), which has nbclient/nbformat/jupyter_client.
Set JUPYTER_PATH so that the project-local tslab kernelspec is found.

usage: run_notebook.py NOTEBOOK [--out EXECUTED.ipynb] [--timeout SEC]
                       [--startup-timeout SEC] [--allow-errors] [--kernel NAME]

JSON: {"ok", "notebook", "kernel", "language_info", "startup_s", "total_s", "first_error_index",
       "cells": [{"index", "id", "cell_type", "status", "execution_count", "duration_s",
                  "stdout", "stderr", "outputs"}], "exception"}
status per code cell: "ok" | "error" | "abort" | "not-run" (execute_reply status from the kernel).
tslab sends no "error" output: the message of a failed cell is in its stderr.
Exit code: 0 if every code cell ran with status ok, 1 otherwise (kernel start failures included,
still with the JSON report), 2 on bad arguments.
"""
import argparse
import asyncio
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

# tslab aborts requests that arrive within 200 ms after a failed cell; wait longer than that.
ERROR_PAUSE_S = 0.3


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("--out", help="write the executed notebook here")
    ap.add_argument("--timeout", type=int, default=120, help="per-cell timeout (s), an integer")
    ap.add_argument("--startup-timeout", type=int, default=60, help="kernel start timeout (s), an integer")
    ap.add_argument("--allow-errors", action="store_true",
                    help="keep running after a failing cell (default: stop at the first error)")
    ap.add_argument("--kernel", help="kernel name (default: from notebook metadata)")
    args = ap.parse_args()

    nb_path = os.path.abspath(args.notebook)
    nb = nbformat.read(nb_path, as_version=4)
    kernel = args.kernel or nb.metadata.get("kernelspec", {}).get("name", "tslab")
    replies = {}
    durations = {}
    starts = {}
    first_error = [None]
    language_info = None

    def on_cell_execute(cell, cell_index):
        starts[cell_index] = time.monotonic()

    async def on_cell_executed(cell, cell_index, execute_reply):
        durations[cell_index] = time.monotonic() - starts.get(cell_index, time.monotonic())
        content = execute_reply["content"] if execute_reply else {}
        replies[cell_index] = content
        if content.get("status") == "error":
            if first_error[0] is None:
                first_error[0] = cell_index
            if args.allow_errors:
                await asyncio.sleep(ERROR_PAUSE_S)

    t0 = time.monotonic()
    startup_s = None
    exception = None
    try:
        client = NotebookClient(
            nb,
            kernel_name=kernel,
            timeout=args.timeout,
            startup_timeout=args.startup_timeout,
            allow_errors=args.allow_errors,
            resources={"metadata": {"path": os.path.dirname(nb_path)}},
            on_cell_execute=on_cell_execute,
            on_cell_executed=on_cell_executed,
        )
        with client.setup_kernel():
            startup_s = time.monotonic() - t0
            # What the kernel says about its language, as JupyterLab stores it on open (nbclient's
            # execute() does the same; this runner drives cells itself): the test compares it with the
            # committed metadata, which must match or the notebook opens marked modified.
            info = client.wait_for_reply(client.kc.kernel_info())
            if info is not None and "language_info" in info["content"]:
                language_info = info["content"]["language_info"]
                nb.metadata["language_info"] = language_info
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
    except CellExecutionError as e:
        exception = {"type": "CellExecutionError", "message": str(e)[:2000]}
    except CellTimeoutError as e:
        exception = {"type": "CellTimeoutError", "message": str(e)[:2000]}
    except DeadKernelError as e:
        exception = {"type": "DeadKernelError", "message": str(e)[:2000]}
    except Exception as e:  # kernel failed to start, kernelspec missing, ...
        exception = {"type": type(e).__name__, "message": str(e)[:2000]}
    total_s = time.monotonic() - t0

    cells = []
    counter = 0
    for index, cell in enumerate(nb.cells):
        entry = {"index": index, "id": cell.get("id"), "cell_type": cell.cell_type}
        if cell.cell_type == "code":
            reply = replies.get(index)
            status = reply.get("status", "unknown") if reply is not None else "not-run"
            if reply is not None and status in ("ok", "error"):
                counter += 1
                # tslab sends no execute_input, so nbclient leaves execution_count empty: fill it in.
                cell.execution_count = reply.get("execution_count") or counter
            outs = cell.get("outputs", [])
            entry.update(
                status=status,
                execution_count=cell.get("execution_count"),
                duration_s=round(durations[index], 4) if index in durations else None,
                stdout="".join(o.get("text", "") for o in outs
                               if o.get("output_type") == "stream" and o.get("name") == "stdout"),
                stderr="".join(o.get("text", "") for o in outs
                               if o.get("output_type") == "stream" and o.get("name") == "stderr"),
                outputs=outs,
            )
        cells.append(entry)

    if args.out:
        nbformat.write(nb, args.out)
    code = [c for c in cells if c["cell_type"] == "code"]
    ok = exception is None and all(c["status"] == "ok" for c in code)
    report = {
        "ok": ok,
        "notebook": nb_path,
        "kernel": kernel,
        "language_info": language_info,
        "startup_s": round(startup_s, 3) if startup_s is not None else None,
        "total_s": round(total_s, 3),
        "first_error_index": first_error[0],
        "cells": cells,
        "exception": exception,
    }
    json.dump(report, sys.stdout, default=str)
    sys.stdout.write("\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
