"""export_codebook and import_codebook: the codebook's exchange from the shell."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from codebook.models import Code
from interviews.models import Study


def test_it_exports_and_imports_a_qdc_file(study, codes, tmp_path):
    target = Study.objects.create(title="Copy", slug="copy")
    path = tmp_path / "codebook.qdc"
    call_command("export_codebook", "pilot", "--format", "qdc", "--output", str(path))
    out = StringIO()
    call_command("import_codebook", "copy", str(path), stdout=out)
    assert "Added 4 codes" in out.getvalue()
    paths = sorted(c.path for c in Code.objects.filter(study=target))
    assert "Theoretical lenses/Sensemaking" in paths and len(paths) == 4


def test_it_writes_csv_to_standard_output(study, codes):
    out = StringIO()
    call_command("export_codebook", "pilot", stdout=out)
    assert out.getvalue().startswith("path,name,parent path,grouping-only")
    assert "Theoretical lenses/Identity work,Identity work,Theoretical lenses" in out.getvalue()


def test_a_dry_run_changes_nothing(study, codes, tmp_path):
    Study.objects.create(title="Copy", slug="copy")
    path = tmp_path / "codebook.csv"
    call_command("export_codebook", "pilot", "--output", str(path))
    out = StringIO()
    call_command("import_codebook", "copy", str(path), "--dry-run", stdout=out)
    assert "added: Theoretical lenses/Sensemaking" in out.getvalue()
    assert "Would add 4 codes" in out.getvalue()
    assert not Code.objects.filter(study__slug="copy").exists()


def test_it_refuses_a_broken_file_clearly(study, tmp_path):
    path = tmp_path / "broken.qdc"
    path.write_text("<CodeBook><Codes>")
    with pytest.raises(CommandError, match="not well-formed XML"):
        call_command("import_codebook", "pilot", str(path))


def test_it_names_an_unknown_study(db):
    with pytest.raises(CommandError, match="No study"):
        call_command("export_codebook", "nowhere")
