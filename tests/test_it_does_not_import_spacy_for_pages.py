"""The web process must not pay for spaCy until a suggestion is actually made."""

from tests.fresh_interpreter import heavy_modules_loaded


def test_loading_the_url_conf_and_the_suggestion_pages_does_not_import_spacy():
    imports = (
        "import coprod.urls, codebook.views.suggestions, codebook.views.suggestion_quality\n"
        "import codebook.suggestion_runs, codebook.suggestion_quality, codebook.tasks"
    )
    assert heavy_modules_loaded(imports, ["spacy", "thinc"]) == []
