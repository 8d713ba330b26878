"""Build the event lexicons in ``events/data`` from the event dictionaries in ``../shared``.

    python -m accordingto.events.build ../shared/data/events

Reads dictionaries only (never example sentences): the PETRARCH2 CAMEO verb
dictionary, the CAMEO → PLOVER table with Goldstein scores, the Phoenix actor and
agent dictionaries, the NGEC/PLOVER agent nouns and the NGEC country list.  Each
file it writes starts with a header naming its source and licence.  The hand-made
lists (``plover_roots.tsv``, ``seats.tsv``, ``organisations.tsv``,
``own_patterns.tsv``, ``modality.tsv``) are not touched.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).parent / "data"

_MIT_OEDA = "MIT licence, Copyright (c) 2014-2015 Open Event Data Alliance"
_PETRARCH = "github.com/openeventdata/petrarch2 @ 676801cd (petrarch2/data/dictionaries)"
_HEADER_CAMEO = """# CAMEO codes: Goldstein score and PLOVER event type.
# Source: GDELT lookups CAMEO.eventcodes.txt and CAMEO.goldsteinscale.txt (gdeltproject.org,
# free/open with attribution; CAMEO by Gerner and Schrodt), joined with PLOVER's
# CAMEO2PLOVER-2021.txt (github.com/openeventdata/PLOVER @ 5e0c24fb, CC BY-SA 4.0).
# Built by accordingto.events.build.  Columns: cameo  goldstein  plover_root  description
"""
_HEADER_VERBS = f"""# CAMEO verbs: verb (lemma, lower case; a phrasal verb as words) and its block's code.
# Source: PETRARCH2 CAMEO verb dictionary CAMEO.2.0.txt, {_PETRARCH}; {_MIT_OEDA}.
# Built by accordingto.events.build.  Columns: block  verb  cameo (--- when none)
"""
_HEADER_PATTERNS = f"""# CAMEO verb patterns: words before and after the verb that select a code.
# Source: PETRARCH2 CAMEO verb dictionary CAMEO.2.0.txt, {_PETRARCH}; {_MIT_OEDA}.
# Groups are separated by spaces; '&NAME' is a synonym set (synsets.tsv), '_' joins words.
# Built by accordingto.events.build.  Columns: block  before  after  cameo
"""
_HEADER_SYNSETS = f"""# CAMEO synonym sets used by the verb patterns.
# Source: PETRARCH2 CAMEO verb dictionary CAMEO.2.0.txt, {_PETRARCH}; {_MIT_OEDA}.
# Built by accordingto.events.build.  Columns: name  words (|-separated, '_' joins words)
"""
_HEADER_ACTORS = f"""# Named actors (states, their alternate names and capitals, institutions, people, IGOs, groups)
# and their CAMEO actor codes (country + sector, e.g. RUSGOV; IGOs start IGO).
# Source: Phoenix.Countries.actors.txt, Phoenix.International.actors.txt and
# Phoenix.MilNonState.actors.txt, {_PETRARCH}; {_MIT_OEDA}.  Frozen about 2018.
# The current code of each name is kept: a role still held, else the undated code, else the last.
# Built by accordingto.events.build.  Columns: name (lower case)  code
"""
_HEADER_AGENTS = f"""# Agent nouns and the sector they name (GOV government, MIL military, MED media, CVL civilians,
# REB rebels, …).
# Sources: Phoenix.agents.txt, {_PETRARCH}; {_MIT_OEDA}; and PLOVER_agents.txt from
# github.com/ahalterman/NGEC-2025 @ a3909e2a (NGEC/assets), MIT licence (OEDA 2014).
# Built by accordingto.events.build.  Columns: noun (lower case)  sector
"""
_HEADER_COUNTRIES = """# Countries: ISO-3 code, name and demonyms.
# Source: countries.csv from github.com/ahalterman/NGEC-2025 @ a3909e2a (NGEC/assets), MIT
# licence declared by the project (Halterman et al. 2023, arXiv 2304.01331).
# Built by accordingto.events.build.  Columns: iso3  name  nationality words (|-separated)
"""


def _words(raw: str) -> str:
    """``CARRY_OUT_`` → ``carry out``."""
    return " ".join(w for w in re.split(r"[_\s]+", raw.strip("+").lower()) if w)


def _code(raw: str) -> str:
    """``[042:043]`` → ``042``; ``[:170]`` → ``170``; ``[---]`` → ``---``."""
    inner = raw.strip("[] ")
    source, _, target = inner.partition(":")
    return source.strip() or target.strip() or "---"


def _verb_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="latin-1").splitlines()
    start = next(i for i, line in enumerate(lines) if "VERB PATTERNS" in line)
    end = next(i for i, line in enumerate(lines) if "TRANSFORMATIONS" in line)
    return lines[start:end]


def synsets(path: Path) -> dict[str, list[str]]:
    lines = path.read_text(encoding="latin-1").splitlines()
    end = next(i for i, line in enumerate(lines) if "VERB PATTERNS" in line)
    out: dict[str, list[str]] = {}
    name = None
    for line in lines[:end]:
        line = line.split("#", 1)[0].strip()
        if line.startswith("&"):
            name = line
            out[name] = []
        elif line.startswith("+") and name:
            out[name].append(line.strip("+").rstrip("_").lower())
    return out


_BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---")
_PATTERN = re.compile(r"^-\s+(.*?)\s*\[([^\]]*)\]")
_VERB = re.compile(r"^(\+?[A-Z][A-Z_'\-]*)\s*(\[[^\]]*\])?")


def verbs_and_patterns(path: Path) -> tuple[list[tuple[str, str, str]], list[tuple[str, ...]]]:
    verbs: list[tuple[str, str, str]] = []
    patterns: list[tuple[str, ...]] = []
    block, default = "", "---"
    for line in _verb_lines(path):
        line = line.split("#", 1)[0].rstrip()
        if m := _BLOCK.match(line):
            block, default = m.group(1), _code(m.group(2))
        elif m := _PATTERN.match(line):
            before, _, after = m.group(1).partition("*")
            patterns.append((block, _groups(before), _groups(after), _code(m.group(2))))
        elif block and (m := _VERB.match(line)):
            code = _code(m.group(2)) if m.group(2) else default
            verbs.append((block, _words(m.group(1)), code))
    return verbs, patterns


def _groups(raw: str) -> str:
    """Pattern words as space-separated groups: ``(FROM {AIR STRIKE})`` → ``from air_strike``."""
    raw = re.sub(r"\{([^}]*)\}", lambda m: "_".join(m.group(1).split()), raw)
    words = []
    for word in raw.replace("(", " ").replace(")", " ").split():
        word = word.strip("$+%^=|").rstrip("_")
        if word and (word.startswith("&") or re.match(r"[A-Za-z]", word)):
            words.append(word if word.startswith("&") else word.lower())
    return " ".join(words)


def cameo_codes(table: Path, cameo2plover: Path) -> Iterator[tuple[str, str, str, str]]:
    plover = {}
    for line in cameo2plover.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^(\d+):\s*([A-Z]+)", line):
            plover[m.group(1)] = m.group(2)
    with table.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["cameo_code"]
            root = plover.get(code) or row["plover_event"].split("|")[0] or "-"
            yield code, row["goldstein"], root, row["description"]


def _dated_code(raw: str) -> tuple[str, int]:
    """``RUSGOV >080508`` → (``RUSGOV``, 2): a role still held ranks above an undated code (1),
    which ranks above one that ended (0)."""
    code, *dates = raw.split()
    if not dates:
        return code, 1
    return code, 2 if dates[0].startswith(">") or dates[0].endswith("-") else 0


def _keep(out: dict[str, str], names: list[str], codes: list[tuple[str, int]]) -> None:
    best = max((rank for _, rank in codes), default=0)
    current = [c for c, rank in codes if rank == best]
    for name in names:
        if current and 0 < len(name.split()) <= 6:
            out.setdefault(name, current[-1])


def actors(paths: list[Path]) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in paths:
        names: list[str] = []
        codes: list[tuple[str, int]] = []
        for line in path.read_text(encoding="latin-1").splitlines():
            body = line.split("#", 1)[0]
            if not body.strip():
                continue
            found = [_dated_code(c) for c in re.findall(r"\[([^\]]+)\]", body)]
            name = body.split("[", 1)[0].strip()
            if name and not name.startswith("+") and not body[0].isspace():
                _keep(out, names, codes)
                names, codes = [_words(name)], []
            elif name.startswith("+"):
                names.append(_words(name))
            codes.extend(found)
        _keep(out, names, codes)
    return out


def agents(paths: list[Path]) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in paths:
        subs: dict[str, list[str]] = {}
        for line in path.read_text(encoding="latin-1").splitlines():
            body = line.split("#", 1)[0].strip()
            if m := re.match(r"^(![A-Z]+!)\s*=\s*(.*)$", body):
                subs[m.group(1)] = [w.strip() for w in m.group(2).split(",")]
                continue
            m = re.match(r"^([^\[]+?)\s*\[~([A-Z]+)\]", body)
            if not m:
                continue
            for name in _expand(m.group(1), subs):
                out.setdefault(_words(name), m.group(2))
    return out


def _expand(name: str, subs: dict[str, list[str]]) -> list[str]:
    for key, values in subs.items():
        if key in name:
            return [n for v in values for n in _expand(name.replace(key, v, 1), subs)]
    return [name]


def countries(path: Path) -> Iterator[tuple[str, str, str]]:
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            words = [w.strip() for w in row["Nationality"].split(",") if w.strip()]
            yield row["CCA3"], row["Name"], "|".join(words)


def _write(name: str, header: str, rows, out: Path = DATA) -> None:
    with (out / name).open("w", encoding="utf-8") as f:
        f.write(header)
        for row in rows:
            f.write("\t".join(row) + "\n")


def _write_to(out: Path, name: str, header: str, rows) -> None:
    _write(name, header, rows, out)


def build(root: Path, out: Path = DATA) -> None:
    """Write the built files into ``out`` (the package's data folder by default)."""
    petrarch = root / "petrarch2-cameo-dictionaries"
    verb_file = petrarch / "CAMEO.2.0.txt"
    _write_to(
        out,
        "cameo.tsv",
        _HEADER_CAMEO,
        cameo_codes(
            root / "cameo-goldstein" / "cameo_goldstein_plover.csv",
            root / "plover-ontology" / "CAMEO2PLOVER-2021.txt",
        ),
    )
    verbs, patterns = verbs_and_patterns(verb_file)
    _write_to(out, "verbs.tsv", _HEADER_VERBS, verbs)
    _write_to(out, "verb_patterns.tsv", _HEADER_PATTERNS, patterns)
    _write_to(
        out,
        "synsets.tsv",
        _HEADER_SYNSETS,
        ((k, "|".join(v)) for k, v in synsets(verb_file).items()),
    )
    named = actors(
        [
            petrarch / "Phoenix.Countries.actors.txt",
            petrarch / "Phoenix.International.actors.txt",
            petrarch / "Phoenix.MilNonState.actors.txt",
        ]
    )
    _write_to(out, "actors.tsv", _HEADER_ACTORS, sorted(named.items()))
    nouns = agents(
        [petrarch / "Phoenix.agents.txt", root / "ngec-plover-assets" / "PLOVER_agents.txt"]
    )
    _write_to(out, "agents.tsv", _HEADER_AGENTS, sorted(nouns.items()))
    _write_to(
        out,
        "countries.tsv",
        _HEADER_COUNTRIES,
        countries(root / "ngec-plover-assets" / "countries.csv"),
    )


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/events"))
