"""axe-core finds no violations on the find-and-compare pages of the demo study."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

PAGES = [
    "/s/demo/segments/",
    "/s/demo/matrix/",
    "/s/demo/matrix/?by=level",
    "/s/demo/co-occurrence/",
    "/s/demo/search/?q=citizens",
    "/s/demo/words/",
    "/s/demo/report/",
]


@pytest.fixture
def demo_owner(page, sign_in):
    call_command("load_demo", verbosity=0)
    sign_in("owner", "coprod-demo")
    return page


def test_the_analysis_pages_have_no_accessibility_violations(demo_owner):
    axe = Axe()
    found = {}
    for url in PAGES:
        demo_owner.goto(url)
        results = axe.run(demo_owner)
        if results.violations_count:
            found[url] = [
                (item["id"], [node["target"] for node in item["nodes"]][:3])
                for item in results.response["violations"]
            ]
    assert found == {}
