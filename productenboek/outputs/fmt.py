"""`fmt`: rewrite content YAML canonically with ruamel's round-trip loader.

Canonical means: keys in the order the model declares them (nested blocks too), 2-space
indentation with list items indented under their key, no line wrapping, no BOM, one final
newline. Comments and block scalars stay as they are. Files are rewritten atomically, and
only when something changes; `--check` changes nothing and lists the files that would.
"""

from __future__ import annotations

import dataclasses
import io
import typing
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .. import model
from ..errors import UsageError
from ..schema import _unwrap_optional, fields_of
from ..writer import atomic_write_text

KINDS = [
    ("codelijsten/*.yml", model.CodeList),
    ("landelijk/structuur.yml", model.National),
    ("landelijk/zorgvormen/*.yml", model.CareForm),
    ("regios/*/regio.yml", model.Region),
    ("regios/*/producten/*.yml", model.Product),
    ("regios/*/kernbedingen/*.yml", model.Kernbeding),
    ("regios/*/segmenten/*.yml", model.SegmentDetail),
    ("regios/*/segmentoverstijgend.yml", model.CrossTopics),
]


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 100_000
    y.preserve_quotes = True  # keep the author's quoting: smaller diffs in review
    y.allow_duplicate_keys = False
    return y


def _order(node, cls) -> None:
    """Reorder a round-trip mapping in place to the model's key order, recursively."""
    if not isinstance(node, CommentedMap) or not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        return
    declared = [(f.metadata["key"], tp) for _name, f, tp in fields_of(cls)]
    order = [k for k, _ in declared if k in node] + [k for k in node if k not in {k for k, _ in declared}]
    for key in order:
        node.move_to_end(key)
    for key, tp in declared:
        if key not in node:
            continue
        inner = _unwrap_optional(tp)
        if typing.get_origin(inner) is tuple:
            item_tp = typing.get_args(inner)[0]
            if isinstance(node[key], CommentedSeq):
                for item in node[key]:
                    _order(item, _unwrap_optional(item_tp))
        else:
            _order(node[key], inner)


def canonical(text: str, cls) -> str:
    """The canonical form of one file's text (raises ruamel errors on invalid YAML)."""
    y = _yaml()
    data = y.load(text.lstrip("\ufeff"))
    _order(data, cls)
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def files(root: Path) -> list[tuple[Path, type]]:
    out = []
    for pattern, cls in KINDS:
        out += [
            (p, cls)
            for p in sorted(root.glob(pattern))
            if p.is_file() and not p.is_symlink() and not _via_link(root, p)
        ]
    return out


def _via_link(root: Path, path: Path) -> bool:
    """True when a folder between root and path is a symbolic link (never followed: it could
    lead out of the repository)."""
    rel = path.relative_to(root)
    return any((root / Path(*rel.parts[:i])).is_symlink() for i in range(1, len(rel.parts)))


def run(args, term) -> int:
    root = Path(args.content)
    if not root.is_dir():
        raise UsageError(f"content-map '{root}' bestaat niet")
    chosen = {Path(p).resolve() for p in args.paden}
    changed, failed = [], []
    for path, cls in files(root):
        if chosen and path.resolve() not in chosen:
            continue
        try:
            text = path.read_text(encoding="utf-8")
            new = canonical(text, cls)
        except Exception as exc:  # invalid YAML: `check` reports it with its location
            failed.append(f"{path}: niet te formatteren ({type(exc).__name__}); draai 'make check'")
            continue
        if new != text:
            changed.append(path)
            if not args.check:
                atomic_write_text(path, new)
    for line in failed:
        term.problem(line)
    if args.check:
        for path in changed:
            term.problem(f"{path}: niet canoniek (draai 'make fmt')")
        term.info(f"{len(changed)} bestand(en) niet canoniek")
        return 1 if changed or failed else 0
    for path in changed:
        term.result(f"herschreven: {path}")
    term.info(f"{len(changed)} bestand(en) herschreven")
    return 1 if failed else 0
