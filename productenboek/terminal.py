"""Output to people: colour and progress on a terminal (rich), plain lines otherwise."""

from __future__ import annotations

import re
import sys

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str, one_line: bool = True) -> str:
    """Text as printed: control characters shown as escapes (no terminal tricks), on one line
    for messages, and no line starting with '::' (a GitHub Actions workflow command)."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))
    if one_line:
        text = text.replace("\n", "\\n")
    return "\n".join("\\" + line if line.lstrip().startswith("::") else line for line in text.split("\n"))


class Terminal:
    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self._console = None
        if self.tty:
            try:
                from rich.console import Console

                self._console = Console(stderr=True, highlight=False)
            except ImportError:  # pragma: no cover - rich is in requirements
                self._console = None

    def _print(self, text: str, style: str = "") -> None:
        text = safe(text)
        if self._console is not None:
            self._console.print(text, style=style or None, markup=False)
        else:
            print(text, file=sys.stderr)

    def info(self, text: str) -> None:
        self._print(text)

    def ok(self, text: str) -> None:
        self._print(text, "green")

    def problem(self, text: str) -> None:
        self._print(text, "yellow")

    def error(self, text: str) -> None:
        self._print(f"fout: {text}", "bold red")

    def result(self, text: str) -> None:
        """A result a script may read (a path, a report): always plain, on stdout."""
        print(safe(text, one_line=False))

    def status(self, text: str):
        """Context manager showing a spinner on a terminal; a plain line otherwise."""
        if self._console is not None:
            return self._console.status(text)
        print(text, file=sys.stderr)
        return _Null()


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
