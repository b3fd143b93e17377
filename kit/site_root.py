"""The root page of the site: sends the reader to the best of the program's languages."""

from __future__ import annotations

import html
import json
from pathlib import Path

from babel import Locale

from kit import model


def language_name(code: str) -> str:
    """The language's name in that language, e.g. 'español' for 'es'."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name() or code
    except (ValueError, LookupError):
        return code


def write_root_index(kit: model.Kit, site: Path) -> None:
    """Write SITE/index.html: a redirect by the browser's languages, with a plain list as fallback."""
    languages = kit.program.languages
    items = "\n".join(
        f'    <li><a href="{html.escape(code)}/" hreflang="{html.escape(code)}" lang="{html.escape(code)}">'
        f"{html.escape(language_name(code))}</a></li>"
        for code in languages
    )
    page = f"""<!doctype html>
<html lang="{html.escape(languages[0])}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(kit.program.name)}</title>
  <script>
    (function () {{
      var offered = {json.dumps(languages)};
      var wanted = navigator.languages || [navigator.language || ""];
      for (var i = 0; i < wanted.length; i++) {{
        var code = wanted[i].toLowerCase();
        for (var j = 0; j < offered.length; j++) {{
          var lang = offered[j].toLowerCase();
          if (code === lang || code.split("-")[0] === lang.split("-")[0]) {{
            location.replace(offered[j] + "/"); return;
          }}
        }}
      }}
      location.replace(offered[0] + "/");
    }})();
  </script>
</head>
<body>
  <h1>{html.escape(kit.program.name)}</h1>
  <p>{html.escape(kit.program.organization)}</p>
  <ul>
{items}
  </ul>
</body>
</html>
"""
    (site / "index.html").write_text(page, encoding="utf-8")
