"""The import page: preview first, then import; a broken file changes nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from codebook.models import Code

CSV = (
    "path,name,parent path,grouping-only,colour,definition\r\n"
    "Governance,Governance,,yes,#123456,\r\n"
    "Governance/Enabler,Enabler,Governance,no,#abcdef,What helps\r\n"
)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_previews_then_imports(study, codes, sam):
    url = reverse("codebook-import", args=[study.slug])
    client = _client(sam)
    upload = SimpleUploadedFile("codebook.csv", CSV.encode(), content_type="text/csv")
    preview = client.post(url, {"file": upload})
    html = preview.content.decode()
    assert "2 to add, 0 to change" in html
    assert not Code.objects.filter(study=study, name="Governance").exists()
    confirm = preview.context["confirm_form"].initial
    response = client.post(url, {**confirm, "confirm": "on"})
    assert response.status_code == 302
    enabler = Code.objects.get(study=study, name="Enabler")
    assert enabler.path == "Governance/Enabler" and enabler.definition == "What helps"


def test_it_rejects_a_file_with_a_cycle_and_changes_nothing(study, codes, sam):
    cyclic = "path,parent path\r\nA,B\r\nB,A\r\n"
    upload = SimpleUploadedFile("cycle.csv", cyclic.encode(), content_type="text/csv")
    response = _client(sam).post(reverse("codebook-import", args=[study.slug]), {"file": upload})
    html = response.content.decode()
    assert "nothing changed" in html and "cycle" in html
    assert Code.objects.filter(study=study).count() == 4


def test_it_rejects_broken_xml_and_changes_nothing(study, codes, sam):
    upload = SimpleUploadedFile("broken.qdc", b"<CodeBook><Codes>", content_type="text/xml")
    response = _client(sam).post(reverse("codebook-import", args=[study.slug]), {"file": upload})
    assert "not well-formed XML" in response.content.decode()
    assert Code.objects.filter(study=study).count() == 4


def test_it_exports_downloads(study, codes, sam):
    client = _client(sam)
    csv = client.get(reverse("codebook-export-csv", args=[study.slug]))
    assert csv["Content-Disposition"] == 'attachment; filename="pilot-codebook.csv"'
    qdc = client.get(reverse("codebook-export-qdc", args=[study.slug]))
    assert b'name="Sensemaking"' in qdc.content


def test_an_empty_file_is_refused_with_a_message(study, codes, sam):
    upload = SimpleUploadedFile("empty.csv", b"", content_type="text/csv")
    response = _client(sam).post(reverse("codebook-import", args=[study.slug]), {"file": upload})
    html = response.content.decode()
    assert "nothing changed" in html and "The submitted file is empty." in html
    assert Code.objects.filter(study=study).count() == 4


def test_a_file_with_nul_characters_is_refused_at_the_preview(study, codes, sam):
    upload = SimpleUploadedFile("nul.csv", b"path\r\nNUL\x00X\r\n", content_type="text/csv")
    response = _client(sam).post(reverse("codebook-import", args=[study.slug]), {"file": upload})
    html = response.content.decode()
    assert "NUL characters" in html and "Import these codes" not in html
    assert Code.objects.filter(study=study).count() == 4
