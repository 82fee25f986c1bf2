import io
from unittest import mock

from pypdf import PdfReader

from thrive.core.pdf import html_to_pdf


def test_pdf_holds_the_text_of_the_html():
    data = html_to_pdf("<html><body><h1>Award letter</h1><p>Amount £1,234.00</p></body></html>")
    assert data.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Award letter" in text
    assert "£1,234.00" in text


def test_pdf_never_requests_urls_a_user_could_have_typed():
    with mock.patch("urllib.request.OpenerDirector.open") as opened:
        data = html_to_pdf(
            '<p>Hello</p><img src="http://169.254.169.254/latest" alt="x">'
            '<img src="file:///etc/passwd" alt="y">'
        )
    assert data.startswith(b"%PDF-")
    opened.assert_not_called()
