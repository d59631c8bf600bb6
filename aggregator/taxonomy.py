"""One product taxonomy for the whole catalog, and every network's categories mapped onto it.

``data/taxonomy/taxonomy.tsv`` is the tree: a subset of Google's product taxonomy (Google's
ids and English names) plus a few nodes of our own (ids >= 9_000_000).
``data/taxonomy/mappings.toml`` maps each network's category strings, as the parsers store
them on offers, to nodes. Everything here is pure except ``unmapped_categories``.

Resolving a category (``Taxonomy.map``): the network's own entry for the whole string wins;
for Merchant Center and shop pages a Google id resolves directly; then the string is read
as a path ("A > B > C", "A/B/C") and tried from its most specific part up, each part
against the network's entries and then against the tree's own names (a Google path, or a
node's English or Chinese name that only one node has).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator.models import Offer, Partner
from aggregator.settings import DATA_DIR

TAXONOMY_DIR = DATA_DIR / "taxonomy"
NODES_FILE = "taxonomy.tsv"
MAPPINGS_FILE = "mappings.toml"
CUSTOM_ID_START = 9_000_000  # ids from here up are ours, below are Google's
# Networks whose categories are often Google's own ids or paths: Merchant Center feeds,
# and shop pages whose schema.org category copies them.
GOOGLE_NETWORKS = frozenset({"gmc", "html"})
COLUMNS = ("id", "parent_id", "name_en", "name_zh")

_SEPARATORS = re.compile(r"[>/›»|]")
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"[0-9]+")
_TOML_LINE = re.compile(r"line (\d+)")


class TaxonomyError(ValueError):
    """A malformed taxonomy or mappings file; the message starts with ``file:line:``."""


@dataclass(frozen=True)
class Node:
    id: int
    parent_id: int | None
    name_en: str
    name_zh: str


@dataclass(frozen=True)
class UnmappedCategory:
    partner: str
    category: str
    offers: int


def normalize(text: str) -> str:
    """Width-, case- and spacing-insensitive form; path separators become ``" > "``."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    parts = (_SPACES.sub(" ", part).strip() for part in _SEPARATORS.split(folded))
    return " > ".join(part for part in parts if part)


def candidates(key: str) -> Iterator[str]:
    """A normalized path and its sub-paths: the most specific end first, longest first.

    ``a > b > c`` yields ``a > b > c``, ``b > c``, ``c``, ``a > b``, ``b``, ``a``.
    """
    parts = key.split(" > ")
    for end in range(len(parts), 0, -1):
        for start in range(end):
            yield " > ".join(parts[start:end])


class Taxonomy:
    """The tree and the per-network mappings; immutable once built."""

    def __init__(self, nodes: Mapping[int, Node],
                 mappings: Mapping[str, Mapping[str, int]]) -> None:
        self.nodes: dict[int, Node] = dict(nodes)
        # network → normalized category → node id
        self.mappings = {net: dict(table) for net, table in mappings.items()}
        self._children: dict[int | None, list[Node]] = {}
        for node in self.nodes.values():
            self._children.setdefault(node.parent_id, []).append(node)
        self._names = self._name_index()
        # Feeds repeat a handful of categories across thousands of offers.
        self._resolve_cached = lru_cache(maxsize=65_536)(self._resolve)

    def map(self, network: str, category: str | None) -> int | None:
        """The node a partner category belongs to, or None when nothing matches."""
        if not category:
            return None
        return self._resolve_cached(network.strip().casefold(), category)

    def _resolve(self, network: str, category: str) -> int | None:
        key = normalize(category)
        if not key:
            return None
        table = self.mappings.get(network, {})
        if key in table:
            return table[key]
        if network in GOOGLE_NETWORKS and _DIGITS.fullmatch(key) and int(key) in self.nodes:
            return int(key)
        for candidate in candidates(key):
            if candidate in table:
                return table[candidate]
            if candidate in self._names:
                return self._names[candidate]
        return None

    def _name_index(self) -> dict[str, int]:
        """Every tail of every node's English and Chinese path, when only one node has it."""
        owners: dict[str, set[int]] = {}
        for node_id in self.nodes:
            path = self.path(node_id)
            for names in ([n.name_en for n in path], [n.name_zh for n in path]):
                for start in range(len(names)):
                    owners.setdefault(normalize(" > ".join(names[start:])), set()).add(node_id)
        return {key: ids.pop() for key, ids in owners.items() if len(ids) == 1}

    def node(self, node_id: int) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise KeyError(f"no taxonomy node {node_id}") from None

    def path(self, node_id: int) -> list[Node]:
        """The node and its ancestors, root first."""
        chain = [self.node(node_id)]
        while (parent := chain[-1].parent_id) is not None:
            chain.append(self.nodes[parent])
        return chain[::-1]

    def top(self, node_id: int) -> int:
        """The id of the node's root."""
        return self.path(node_id)[0].id

    def children(self, node_id: int) -> list[Node]:
        self.node(node_id)
        return list(self._children.get(node_id, ()))

    def roots(self) -> list[Node]:
        return list(self._children.get(None, ()))

    def descendants(self, node_id: int) -> list[int]:
        """The node's id and all ids below it (for "this category and its children")."""
        ids, todo = [], [self.node(node_id)]
        while todo:
            node = todo.pop()
            ids.append(node.id)
            todo.extend(self._children.get(node.id, ()))
        return ids

    def name(self, node_id: int, locale: str) -> str:
        """The Chinese name for any ``zh`` locale (zh, zh-CN, zh_Hans …), else English."""
        node = self.node(node_id)
        language = locale.replace("_", "-").split("-")[0].strip().casefold()
        return node.name_zh if language == "zh" else node.name_en


def load_taxonomy(directory: Path | None = None) -> Taxonomy:
    """The taxonomy in ``directory`` (default: the repo's data/taxonomy, loaded once)."""
    if directory is None:
        return _default_taxonomy()
    return _load(Path(directory))


@lru_cache(maxsize=1)
def _default_taxonomy() -> Taxonomy:
    return _load(TAXONOMY_DIR)


def _load(directory: Path) -> Taxonomy:
    nodes = read_nodes(directory / NODES_FILE)
    return Taxonomy(nodes, read_mappings(directory / MAPPINGS_FILE, nodes))


def _where(path: Path, line: int | None) -> str:
    return f"{path}:{line}" if line else str(path)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"{path}: cannot read: {exc}") from exc


def read_nodes(path: Path) -> dict[int, Node]:
    """Parse and check taxonomy.tsv: ids, known parents, no cycles, unique sibling names."""
    nodes: dict[int, Node] = {}
    lines: dict[int, int] = {}
    for lineno, line in enumerate(_read(path).splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in line.split("\t")]
        if tuple(fields) == COLUMNS:
            continue  # a header row
        node = _parse_node(fields, where=_where(path, lineno))
        if node.id in nodes:
            raise TaxonomyError(f"{path}:{lineno}: duplicate id {node.id} "
                                f"(first on line {lines[node.id]})")
        nodes[node.id], lines[node.id] = node, lineno
    _check_tree(path, nodes, lines)
    return nodes


def _parse_node(fields: list[str], *, where: str) -> Node:
    if len(fields) != len(COLUMNS):
        raise TaxonomyError(f"{where}: expected {len(COLUMNS)} tab-separated columns "
                            f"({', '.join(COLUMNS)}), found {len(fields)}")
    raw_id, raw_parent, name_en, name_zh = fields
    node_id = _parse_id(raw_id, where=where, column="id")
    parent_id = _parse_id(raw_parent, where=where, column="parent_id") if raw_parent else None
    if not name_en or not name_zh:
        raise TaxonomyError(f"{where}: node {node_id} needs both name_en and name_zh")
    return Node(node_id, parent_id, name_en, name_zh)


def _parse_id(text: str, *, where: str, column: str) -> int:
    if not _DIGITS.fullmatch(text) or int(text) == 0:
        raise TaxonomyError(f"{where}: {column} must be a positive integer, not {text!r}")
    return int(text)


def _check_tree(path: Path, nodes: dict[int, Node], lines: dict[int, int]) -> None:
    siblings: dict[tuple[int | None, str], int] = {}
    for node in nodes.values():
        where = _where(path, lines[node.id])
        if node.parent_id is not None and node.parent_id not in nodes:
            raise TaxonomyError(f"{where}: node {node.id} has unknown parent {node.parent_id}")
        # Google paths resolve by name: two siblings with one name would be ambiguous.
        key = (node.parent_id, normalize(node.name_en))
        if key in siblings:
            raise TaxonomyError(f"{where}: node {node.id} has the same name_en as its "
                                f"sibling {siblings[key]}: {node.name_en!r}")
        siblings[key] = node.id
    rooted: set[int] = set()
    for node_id in nodes:
        walk: list[int] = []
        current: int | None = node_id
        while current is not None and current not in rooted:
            if current in walk:
                cycle = " → ".join(str(i) for i in [*walk[walk.index(current):], current])
                raise TaxonomyError(f"{_where(path, lines[current])}: "
                                    f"parents form a cycle: {cycle}")
            walk.append(current)
            current = nodes[current].parent_id
        rooted.update(walk)


def read_mappings(path: Path, nodes: Mapping[int, Node]) -> dict[str, dict[str, int]]:
    """Parse mappings.toml: one table per network of ``"category" = node id``."""
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        raise TaxonomyError(f"{_where(path, int(match[1]) if match else None)}: "
                            f"not valid TOML: {exc}") from exc
    lines = _key_lines(text)
    mappings: dict[str, dict[str, int]] = {}
    for network, table in data.items():
        where = _where(path, lines.get((network, None)) or lines.get((None, network)))
        if not isinstance(table, dict):
            raise TaxonomyError(f"{where}: {network!r} must be a [{network}] table "
                                f'of "category" = taxonomy id')
        if network.casefold() in mappings:
            raise TaxonomyError(f"{where}: [{network}] repeats another table's network")
        mappings[network.casefold()] = _read_table(path, network, table, nodes, lines)
    return mappings


def _read_table(path: Path, network: str, table: dict[str, Any], nodes: Mapping[int, Node],
                lines: dict[tuple[str | None, str | None], int]) -> dict[str, int]:
    entries: dict[str, int] = {}
    for category, value in table.items():
        where = f"{_where(path, lines.get((network, category)))}: [{network}] {category!r}"
        if isinstance(value, bool) or not isinstance(value, int):
            raise TaxonomyError(f"{where} must map to a taxonomy id, not {value!r}")
        if value not in nodes:
            raise TaxonomyError(f"{where} maps to unknown taxonomy id {value}")
        key = normalize(category)
        if not key:
            raise TaxonomyError(f"{where} is empty once normalized")
        if entries.get(key, value) != value:
            raise TaxonomyError(f"{where} matches the same strings as an earlier key "
                                f"mapped to {entries[key]}")
        entries[key] = value
    return entries


def _key_lines(text: str) -> dict[tuple[str | None, str | None], int]:
    """(table, key) → line number, for messages (tomllib keeps no positions).

    A table header is stored as (name, None), a key outside any table as (None, key).
    """
    lines: dict[tuple[str | None, str | None], int] = {}
    table: str | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            parsed = tomllib.loads(line)
        except tomllib.TOMLDecodeError:
            continue  # a continuation line; the file as a whole parsed
        if line.startswith("["):
            table = next(iter(parsed), None)
            lines.setdefault((table, None), lineno)
        else:
            for key in parsed:
                lines.setdefault((table, key), lineno)
    return lines


def unmapped_categories(session: Session, *, limit: int = 200) -> list[UnmappedCategory]:
    """Categories of live offers that no mapping resolved, by partner, largest first."""
    offers = func.count(Offer.id)
    rows = session.execute(
        select(Partner.slug, Offer.category, offers)
        .join(Partner, Partner.id == Offer.partner_id)
        .where(Offer.retired_at.is_(None), Offer.taxonomy_id.is_(None),
               Offer.category.is_not(None), Offer.category != "")
        .group_by(Partner.slug, Offer.category)
        .order_by(offers.desc(), Partner.slug, Offer.category)
        .limit(limit)
    )
    return [UnmappedCategory(partner=slug, category=category or "", offers=count)
            for slug, category, count in rows]
