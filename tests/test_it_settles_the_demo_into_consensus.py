"""The issue's "done when", as a new user would try it on the demo study."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from codebook.models import Coding, Origin, Settlement
from interviews.models import Study

pytestmark = pytest.mark.django_db


def alpha_of(page: str, label: str) -> str:
    row = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return re.sub(r"<[^>]+>", "", cells[4]).strip()


def test_the_demo_supervisor_measures_and_settles_and_a_coder_is_kept_out(client):
    call_command("load_demo", verbosity=0)
    study = Study.objects.get(slug="demo")
    users = {m.user.username: m.user for m in study.memberships.select_related("user")}
    coder1, coder2 = users["coder1"], users["coder2"]
    client.force_login(users["supervisor"])
    url = reverse("agreement", args=[study.slug])
    pair = f"?coders={coder1.pk}&coders={coder2.pk}"

    sentences = client.get(url + pair + "&unit=sentence").content.decode()
    characters = client.get(url + pair + "&unit=character").content.decode()
    for page in (sentences, characters):
        assert re.match(r"-?\d\.\d{3}", alpha_of(page, "Theoretical lenses/Sensemaking"))
    table = client.get(reverse("agreement-table-csv", args=[study.slug]) + pair + "&unit=sentence")
    assert len(list(csv.DictReader(io.StringIO(table.content.decode())))) > 10

    with_consensus = f"{pair}&coders=consensus&unit=sentence"
    before = alpha_of(client.get(url + with_consensus).content.decode(), "All codes")
    listing = client.get(
        reverse("agreement-disagreements", args=[study.slug]) + pair + "&unit=sentence"
    )
    links = re.findall(
        r'href="(/s/demo/agreement/disagreements/\d+/\?[^"]+)"', listing.content.decode()
    )
    assert len(links) >= 3
    for link, choice in zip(links[:3], [f"coder:{coder1.pk}", "both", "neither"], strict=True):
        response = client.post(link.replace("&amp;", "&"), {"choice": choice, "note": "Agreed."})
        assert response.status_code == 302
    assert Settlement.objects.filter(study=study).count() == 3
    assert Coding.objects.filter(interview__study=study, origin=Origin.CONSENSUS).exists()
    after = alpha_of(client.get(url + with_consensus).content.decode(), "All codes")
    assert after != before

    client.force_login(coder1)
    assert client.get(url + pair).status_code == 403
    assert client.get(links[0].replace("&amp;", "&")).status_code == 403
