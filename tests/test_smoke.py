from tests.factories import PASSWORD


def test_dashboard_greets_an_admin_with_the_chapter_by_laws(alice, client_as, chapter):
    response = client_as(alice).get(f"/c/{chapter.slug}/")
    assert response.status_code == 200
    assert b"At least two thirds" in response.content
    assert PASSWORD  # factories log in with a known password
