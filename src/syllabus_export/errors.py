"""The tool's one error type: problems that know the file, line and column they are about."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True, order=True)
class Pos:
    """A place in an input file; line and column count from 1, as editors do."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, kw_only=True)
class Problem:
    pos: Pos
    message: str

    def __str__(self) -> str:
        return f"{self.pos}: {self.message}"


class SyllabusError(Exception):
    """Raised with every problem found; ``str()`` gives one ``path:line:column: message`` per line."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def quoted(text: str, limit: int = 40) -> str:
    """A value quoted in a message: cut to ``limit``, invisible characters escaped, so no terminal
    code (ESC, CR) in an input ever reaches the terminal raw."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def decode_utf8(raw: bytes, path: str, what: str = "file") -> str:
    """``raw`` as text; a byte that is not UTF-8 raises SyllabusError at its line and column."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        message = f"byte 0x{raw[exc.start]:02x} is not UTF-8 (save the {what} as UTF-8)"
        raise SyllabusError([Problem(pos=Pos(path=path, line=line, column=column), message=message)]) from None


class Problems:
    """Collects problems so a whole file is reported at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, pos: Pos, message: str) -> None:
        self.items.append(Problem(pos=pos, message=message))

    def error(self) -> SyllabusError:
        """Every problem collected, each once, in the order of their places."""
        return SyllabusError(sorted(set(self.items), key=lambda p: (p.pos, p.message)))

    def raise_if_any(self) -> None:
        if self.items:
            raise self.error()

    def __bool__(self) -> bool:
        return bool(self.items)


def first_at(first: Pos, again: Pos) -> str:
    """How a value written twice names its first occurrence, from the second's place: ``first at
    line 9, column 3`` in the same file, ``first at data/x.yaml:9:3`` in another."""
    if first.path == again.path:
        return f"first at line {first.line}, column {first.column}"
    return f"first at {first}"
