"""Hand untranslated catalogue entries to translators as JSON, and take their work back.

    python scripts/translation_todo.py export es todo-es.json   # untranslated or fuzzy entries of es
    python scripts/translation_todo.py import es done-es.json   # write the translations into es

The JSON is a list of objects {"id", "plural", "context", "string"}: translators fill "string" (a list of
forms for plural entries, in the order the catalogue's Plural-Forms header gives). Run `make makemessages`
afterwards so gettext's own tools format the catalogue as usual.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parents[1] / "landmosaic" / "locale"


def catalogue_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def needs_work(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(message.id) and (message.fuzzy or not all(strings))


def export(language: str, target: Path) -> int:
    with catalogue_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    todo = []
    for message in catalog:
        if not needs_work(message):
            continue
        singular, plural = (message.id if isinstance(message.id, tuple) else (message.id, None))[:2]
        todo.append({"id": singular, "plural": plural, "context": message.context, "string": None})
    target.write_text(json.dumps(todo, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{language}: {len(todo)} entries to translate written to {target}")
    return 0


def import_(language: str, source: Path) -> int:
    path = catalogue_path(language)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    done = json.loads(source.read_text(encoding="utf-8"))
    applied = 0
    for entry in done:
        if not entry.get("string"):
            continue
        message = catalog.get(entry["id"], context=entry.get("context"))
        if message is None:
            print(f"not in the {language} catalogue: {entry['id']!r}"[:200])
            continue
        string = entry["string"]
        message.string = tuple(string) if isinstance(string, list) else string
        message.flags.discard("fuzzy")
        applied += 1
    with path.open("wb") as handle:
        write_po(handle, catalog, width=79)
    print(f"{language}: {applied} translations written to {path}")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[1] not in {"export", "import"}:
        print(__doc__)
        return 2
    command, language, file = argv[1], argv[2], Path(argv[3])
    return export(language, file) if command == "export" else import_(language, file)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
