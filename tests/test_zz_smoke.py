def test_smoke(client, bob, interview, codes, make_coding):
    make_coding(interview, codes["sensemaking"], bob, "We asked citizens")
    client.force_login(bob)
    r = client.get(interview.get_absolute_url())
    assert r.status_code == 200, r.content[:2000]
    print(r.content.decode()[:200])
    r = client.get(interview.get_absolute_url() + "?part=coding-list&list=1", headers={"HX-Request": "true"})
    print(r.content.decode())
    r = client.get(interview.get_absolute_url() + "?coding=1")
    assert b"Start one word" in r.content
