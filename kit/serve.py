"""`kit serve`: build, serve the last good site on this computer, rebuild when sources change."""

from __future__ import annotations

import functools
import http.server
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import click

from kit.build import build
from kit.errors import KitError

WATCHED = ("content", "templates", "translations", "mkdocs.yml")
RELOAD_SCRIPT = """<script>
(function () {
  var seen = null;
  setInterval(function () {
    fetch("/__kit_version", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) { location.reload(); }
      seen = v;
    }).catch(function () {});
  }, 1000);
})();
</script>"""


def source_stamp(project: Path) -> tuple[tuple[str, int, int], ...]:
    """A fingerprint of every watched file: changes when any file is added, removed or edited."""
    stamps = []
    for name in WATCHED:
        target = project / name
        files = [target] if target.is_file() else sorted(p for p in target.rglob("*") if p.is_file())
        for path in files:
            stat = path.stat()
            stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


class Preview:
    """The state of a preview: where the last good site is, and its version."""

    def __init__(self, project: Path, output: Path) -> None:
        self.project = project
        self.output = output
        self.version = 0
        self.error = ""

    def rebuild(self, progress: Callable[[str], None]) -> bool:
        """Build again; on failure keep the last good site and remember the error."""
        try:
            build(self.project, self.output, progress=progress)
        except KitError as error:
            self.error = error.report()
            click.echo(self.error, err=True)
            return False
        self.error = ""
        self.version += 1
        _add_reload_script(self.output)
        return True


def _add_reload_script(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("</body>", RELOAD_SCRIPT + "</body>", 1), encoding="utf-8")


def _handler(preview: Preview) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path == "/__kit_version":
                body = str(preview.version).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return functools.partial(Handler, directory=str(preview.output))  # type: ignore[return-value]


def serve(project: Path, port: int, progress: Callable[[str], None], poll_seconds: float = 0.5) -> None:
    """Serve the kit at PROJECT on localhost:PORT until interrupted."""
    project = project.resolve()
    with tempfile.TemporaryDirectory(prefix="peerkit-serve-") as folder:
        preview = Preview(project, Path(folder) / "site")
        if not preview.rebuild(progress):
            raise KitError("the kit does not build yet; fix the problems above and run 'kit serve' again")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(preview))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        click.echo(f"Serving the kit at http://127.0.0.1:{port}/ (Ctrl+C to stop)")
        stamp = source_stamp(project)
        try:
            while True:
                time.sleep(poll_seconds)
                now = source_stamp(project)
                if now != stamp:
                    stamp = now
                    started = time.perf_counter()
                    if preview.rebuild(progress):
                        click.echo(f"Rebuilt in {time.perf_counter() - started:.1f} s.")
        except KeyboardInterrupt:
            click.echo("Stopped.")
        finally:
            server.shutdown()
            server.server_close()
