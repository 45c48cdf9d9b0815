"""The benchmark command runs on a tiny corpus, prints its figures and keeps nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from codebook.models import Coding
from interviews.models import Study


@pytest.mark.django_db
def test_it_prints_figures_and_leaves_no_trace():
    out = StringIO()
    call_command(
        "bench", "workbench", "--words", "800", "--codings", "30", "--repeat", "1", stdout=out
    )
    printed = out.getvalue()
    assert "Workbench benchmark:" in printed
    assert "create one coding:" in printed and "queries: page" in printed
    assert not Study.objects.exists()
    assert not Coding.objects.exists()
    assert not get_user_model().objects.exists()


def test_it_needs_a_subcommand():
    with pytest.raises(CommandError):
        call_command("bench")
