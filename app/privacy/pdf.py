"""The readable export as PDF, by WeasyPrint (loaded on first use), fetching nothing."""


def _no_fetch(url):
    raise ValueError(f"not fetched: {url}")


def html_to_pdf(html):
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
