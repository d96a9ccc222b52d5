"""Text folding: the one key used for uniqueness, sorting and search words."""

from __future__ import annotations

import pytest

from crm_tui.domain.text import clean_name, fold, search_tokens


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Émile", "emile"),
        ("  ÉMILE  ", "emile"),
        ("Crème Brûlée", "creme brulee"),
        ("Ana   María", "ana maria"),
        ("Ana\u00a0María", "ana maria"),
        ("Straße", "strasse"),
        ("Ｆｕｌｌ", "full"),
        ("", ""),
    ],
)
def test_fold_ignores_case_accents_and_spacing(text: str, key: str) -> None:
    assert fold(text) == key


def test_decomposed_and_composed_accents_fold_alike() -> None:
    assert fold("E\u0301mile") == fold("\u00c9mile") == "emile"


def test_accented_names_sort_next_to_their_base_letter() -> None:
    names = ["Zoé", "Eric", "émile", "Emilie", "Emil", "Adam", "Ève"]
    assert sorted(names, key=fold) == ["Adam", "Emil", "émile", "Emilie", "Eric", "Ève", "Zoé"]


@pytest.mark.parametrize(
    ("text", "clean"),
    [("  Acme   Corp \t", "Acme Corp"), ("Acme\nCorp", "Acme Corp"), ("   ", ""), ("É", "É")],
)
def test_clean_name_trims_and_collapses_spaces_keeping_case(text: str, clean: str) -> None:
    assert clean_name(text) == clean


def test_search_tokens_are_folded_words() -> None:
    assert search_tokens("Call Émile_Dubois re: order #1234, ASAP!") == [
        "call",
        "emile",
        "dubois",
        "re",
        "order",
        "1234",
        "asap",
    ]
    assert search_tokens("  ") == []
