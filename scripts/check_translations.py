"""Fail when a catalogue (es, fr, pt) misses a translation or is out of step with English."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "landmosaic" / "locale"
LANGUAGES = ("es", "fr", "pt")


def marked_strings_missing() -> set[str]:
    """Strings marked in the code but absent from the English catalogue (makemessages was not run)."""
    english = LOCALE / "en" / "LC_MESSAGES" / "django.po"
    original = english.read_bytes()
    try:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "en",
                "--no-location",
                "--no-obsolete",
                "-i",
                "node_modules/*",
                "-i",
                ".venv/*",
                "-i",
                "tests/*",
                "-i",
                "bench/*",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        with english.open("rb") as handle:
            fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    finally:
        english.write_bytes(original)
    with english.open("rb") as handle:
        committed = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    return fresh - committed


def main() -> int:
    problems = [
        f"marked in the code but not in the catalogues: {m!r}"[:200] for m in sorted(marked_strings_missing())
    ]
    reference = None
    for language in ("en", *LANGUAGES):
        path = LOCALE / language / "LC_MESSAGES" / "django.po"
        if not path.exists():
            problems.append(f"{path} is missing")
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        ids = {m.id for m in catalog if m.id}
        if language == "en":
            reference = ids
            continue
        if reference is not None and ids != reference:
            problems.append(
                f"{language}: catalogue out of step with en ({len(reference ^ ids)} differing ids)"
            )
        # The checks pybabel runs when compiling (placeholders that do not match, and so on).
        for message, errors in catalog.check():
            problems.extend(f"{language}: {message.id!r}: {error}"[:200] for error in errors)
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                problems.append(f"{language}: untranslated or fuzzy: {message.id!r}"[:200])
    for problem in problems[:50]:
        print(problem)
    if problems:
        print(f"{len(problems)} translation problems. Run `make makemessages`, translate, and commit.")
        return 1
    print("translations: complete for en, " + ", ".join(LANGUAGES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
