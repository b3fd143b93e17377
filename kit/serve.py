"""`kit serve`: build, serve the last good site on this computer, rebuild what a saved file affects."""

from __future__ import annotations

import functools
import html
import http.server
import shutil
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
ERROR_BANNER = (
    '<div class="kit-build-error" role="alert" style="background:#b71c1c;color:#fff;padding:.8em 1.2em;'
    'font:14px/1.4 monospace;white-space:pre-wrap">The last change does not build; these pages are the last '
    "good ones.\n{}</div>"
)

Stamp = dict[str, tuple[int, int]]


def source_stamp(project: Path) -> Stamp:
    """Every watched file with its modification time and size."""
    stamps = {}
    for name in WATCHED:
        target = project / name
        files = [target] if target.is_file() else sorted(p for p in target.rglob("*") if p.is_file())
        for path in files:
            stat = path.stat()
            stamps[path.relative_to(project).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return stamps


def affected_languages(before: Stamp, after: Stamp) -> list[str] | None:
    """The languages a change touches: one when only its catalogs changed, None (all) otherwise."""
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    languages = {name.split("/")[1] for name in changed if name.startswith("translations/") and name.count("/") >= 2}
    if changed and all(name.startswith("translations/") for name in changed):
        return sorted(languages)
    return None


class Preview:
    """The last good site, its version, and the error of the last build if it failed."""

    def __init__(self, project: Path, output: Path, downloads: bool) -> None:
        self.project = project
        self.output = output
        self.downloads = downloads
        self.version = 0
        self.error = ""

    @property
    def state(self) -> str:
        """Changes whenever the pages or the error change, so the browser reloads."""
        return f"{self.version}-{hash(self.error)}"

    def rebuild(self, progress: Callable[[str], None], languages: list[str] | None = None) -> bool:
        """Build again (only LANGUAGES if given); on failure keep the last good site and remember why."""
        try:
            if languages and self.output.exists():
                self._rebuild_languages(languages, progress)
            else:
                build(self.project, self.output, progress=progress, downloads=self.downloads)
        except KitError as error:
            self.error = error.report()
            click.echo(self.error, err=True)
            return False
        self.error = ""
        self.version += 1
        return True

    def _rebuild_languages(self, languages: list[str], progress: Callable[[str], None]) -> None:
        """Build LANGUAGES alone, then put each in place of its old folder."""
        with tempfile.TemporaryDirectory(prefix="peerkit-lang-", dir=self.output.parent) as folder:
            fresh = Path(folder) / "site"
            build(self.project, fresh, progress=progress, languages=languages, downloads=self.downloads)
            for language in languages:
                old = self.output / language
                if old.exists():
                    old.rename(Path(folder) / f"old-{language}")
                (fresh / language).rename(old)

    def page(self, path: Path) -> bytes:
        """An HTML page as served: with the reload script, and the build error on top if there is one."""
        text = path.read_text(encoding="utf-8")
        if self.error:
            banner = ERROR_BANNER.format(html.escape(self.error))
            text = _after_body(text, banner)
        return text.replace("</body>", RELOAD_SCRIPT + "</body>", 1).encode("utf-8")


def _after_body(text: str, banner: str) -> str:
    start = text.find("<body")
    end = text.find(">", start) + 1 if start >= 0 else 0
    return text[:end] + banner + text[end:]


def _handler(preview: Preview) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path == "/__kit_version":
                return self._send(preview.state.encode(), "text/plain")
            target = Path(self.translate_path(self.path))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                return self._send(preview.page(target), "text/html; charset=utf-8")
            return super().do_GET()

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return functools.partial(Handler, directory=str(preview.output))  # type: ignore[return-value]


def serve(
    project: Path, port: int, progress: Callable[[str], None], downloads: bool = False, poll_seconds: float = 0.3
) -> None:
    """Serve the kit at PROJECT on localhost:PORT until interrupted."""
    project = project.resolve()
    with tempfile.TemporaryDirectory(prefix="peerkit-serve-") as folder:
        preview = Preview(project, Path(folder) / "site", downloads)
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
                    languages = affected_languages(stamp, now)
                    stamp = now
                    started = time.perf_counter()
                    if preview.rebuild(progress, languages):
                        which = ", ".join(languages) if languages else "all languages"
                        click.echo(f"Rebuilt ({which}) in {time.perf_counter() - started:.1f} s.")
        except KeyboardInterrupt:
            click.echo("Stopped.")
        finally:
            server.shutdown()
            server.server_close()
            shutil.rmtree(preview.output, ignore_errors=True)
