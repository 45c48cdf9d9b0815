from codebook.suggesting.pipeline import (
    has_lemmas,
    lemmas_follow_lower_case,
    load_pipeline,
    pipeline_label,
)
from tests.fresh_interpreter import heavy_modules_loaded


def test_importing_the_package_does_not_import_spacy():
    # A fresh interpreter: this test process has long imported spaCy.
    # Every public module: "_"-prefixed ones import spaCy on purpose and are
    # only imported from inside functions.
    imports = (
        "import importlib, pkgutil\n"
        "import codebook.suggesting as package\n"
        "for module in pkgutil.iter_modules(package.__path__):\n"
        "    if not module.name.startswith('_'):\n"
        "        importlib.import_module(f'codebook.suggesting.{module.name}')"
    )
    watched = ["spacy", "thinc", "numpy"]
    assert heavy_modules_loaded(imports, watched, set_up_django=False) == []


def test_it_caches_one_pipeline_per_language():
    assert load_pipeline("en") is load_pipeline(lang="en", trained=None)
    assert load_pipeline("en") is not load_pipeline("da")


def test_blank_english_has_sentences_and_case_folded_lemmas():
    nlp = load_pipeline("en")
    doc = nlp("Budgets were cut. We were co-producing.")
    assert [sentence.text for sentence in doc.sents] == [
        "Budgets were cut.",
        "We were co-producing.",
    ]
    assert [token.lemma_ for token in doc[:3]] == ["budget", "be", "cut"]
    assert "produce" in [token.lemma_ for token in doc]


def test_danish_gets_lemmas_from_lookup_tables():
    nlp = load_pipeline("da")
    assert has_lemmas(nlp)
    assert [token.lemma_ for token in nlp("kommunerne")] == ["kommune"]


def test_a_language_without_lookup_tables_goes_without_lemmas():
    nlp = load_pipeline("xx")
    assert nlp.pipe_names == ["sentencizer"]
    assert not has_lemmas(nlp)
    assert pipeline_label(nlp).startswith("blank-xx/")


def test_a_trained_package_that_is_not_installed_falls_back_to_blank(caplog):
    nlp = load_pipeline("en", trained="no_such_pipeline_pkg")
    assert nlp.pipe_names == ["sentencizer", "lemmatizer"]
    assert "not installed" in caplog.text


def test_lemmas_depend_only_on_the_lower_cased_word():
    nlp = load_pipeline("en")
    assert {token.lemma_ for token in nlp("Budgets budgets BUDGETS")} == {"budget"}
    assert lemmas_follow_lower_case(nlp)
    assert not lemmas_follow_lower_case(load_pipeline("xx"))


def test_cached_lemmas_are_the_ones_spacys_own_lemmatizer_loop_sets():
    from spacy.pipeline import Lemmatizer

    nlp = load_pipeline("en")
    lemmatizer = nlp.get_pipe("lemmatizer")
    text = "Budgets were cut; the Councils planned. Geese, MICE and co-producing budgets went."
    for _ in range(2):  # the second pass reads every lemma from the cache
        ours, theirs = nlp.make_doc(text), nlp.make_doc(text)
        lemmatizer(ours)
        Lemmatizer.__call__(lemmatizer, theirs)
        assert [t.lemma_ for t in ours] == [t.lemma_ for t in theirs]
    assert [t.lemma_ for t in ours][:4] == ["budget", "be", "cut", ";"]


def test_a_trained_pipeline_keeps_its_senter_and_loses_its_parser(tmp_path):
    import spacy

    trained = spacy.blank("en")
    trained.add_pipe("senter")
    trained.add_pipe("parser")
    trained.initialize()
    trained.disable_pipe("senter")
    trained.to_disk(tmp_path / "with-senter")
    nlp = load_pipeline("en", trained=str(tmp_path / "with-senter"))
    assert nlp.pipe_names == ["senter"]


def test_a_trained_pipeline_without_sentences_gets_the_sentencizer(tmp_path):
    import spacy

    spacy.blank("en").to_disk(tmp_path / "bare")
    nlp = load_pipeline("en", trained=str(tmp_path / "bare"))
    assert nlp.pipe_names == ["sentencizer"]
    assert pipeline_label(nlp).startswith("en_pipeline-")
