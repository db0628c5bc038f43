"""Issue 9's measure: after replacing names and numbers, at most half of the sentences of any two
samples of different trades are word for word the same (tools/similarity.py, shared sentences as
a share of the smaller pack's), counted over every Word paragraph and Excel text cell."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import pytest

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("similarity", ROOT / "tools" / "similarity.py")
assert _spec and _spec.loader
similarity = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(similarity)

LIMIT = 0.50


def test_the_measure_replaces_names_and_numbers_and_skips_short_text() -> None:
    a = similarity.sentences(["浙江甲公司在3日内回访。短句。"], ["浙江甲公司"])
    b = similarity.sentences(["上海乙公司在15日内回访。"], ["上海乙公司"])
    assert a == b == {"〈名〉在〈数〉日内回访。"}
    assert similarity.shared_share(a, b) == 1.0
    assert similarity.shared_share({"x" * 12}, {"y" * 12}) == 0.0


def test_the_measure_reads_excel_inline_strings(all_packs: dict[str, Path]) -> None:
    pack = all_packs["company"]
    forms = pack / "04 记录表单"
    texts = similarity.pack_text(forms)
    assert len([t for t in texts if len(t) >= 12]) > 100  # the forms' inline-string cells are counted


@pytest.fixture(scope="module")
def sentence_sets(all_packs: dict[str, Path]) -> dict[str, set[str]]:
    names = [n for p in all_packs.values() for n in similarity.names_of(p)]
    return {k: similarity.sentences(similarity.pack_text(p), names) for k, p in all_packs.items()}


def test_packs_of_different_trades_share_at_most_half_their_sentences(sentence_sets: dict[str, set[str]]) -> None:
    shares = {f"{a}~{b}": similarity.shared_share(sentence_sets[a], sentence_sets[b])
              for a, b in itertools.combinations(sorted(sentence_sets), 2)}
    assert len(shares) == 10
    over = {k: f"{v:.1%}" for k, v in shares.items() if v > LIMIT}
    assert not over, f"identical-sentence share above {LIMIT:.0%}: {over}"
