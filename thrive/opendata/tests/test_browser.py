from thrive.core.seeding import SCALES, SeedContext, run_seed
from thrive.testing.browser import assert_accessible


def test_open_data_page_is_accessible_and_downloads_work(live_server, page) -> None:
    run_seed(SeedContext(scale=SCALES["demo"], random_seed=5, show_progress=False))
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Open data").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Open data"
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV of Westshire County Council grants").click()
    assert download.value.suggested_filename.endswith("-360giving-grants.csv")
