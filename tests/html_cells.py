"""What a page says, read from its HTML as a person reads it: the text of
table rows and cells, with whitespace collapsed and visually hidden text left
out (a sighted reader does not see it; the cells are compared as shown)."""

import re
from html.parser import HTMLParser

HIDDEN = "govuk-visually-hidden"
BREAK = "\x00"  # a <br>, kept apart from the template's own line breaks
BLOCKS = {"p", "li", "div", "ul", "ol"}  # start a new line in a cell, as on screen
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr"}


def _clean(text):
    return re.sub(r"\s+", " ", text).strip()


class _Rows(HTMLParser):
    def __init__(self, row_attribute):
        super().__init__()
        self.row_attribute = row_attribute
        self.rows = {}  # attribute value -> [cell text]
        self.row = None
        self.cell = None
        self.hidden_depth = 0
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in VOID:
            if tag == "br" and self.cell is not None:
                self.cell.append(BREAK)
            return
        self.depth += 1
        if tag in BLOCKS and self.cell is not None:
            self.cell.append(BREAK)
        if self.hidden_depth or HIDDEN in (attrs.get("class") or "").split():
            self.hidden_depth += 1
        if tag == "tr" and self.row_attribute in attrs:
            self.row = self.rows.setdefault(attrs[self.row_attribute], [])
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        self.depth -= 1
        if self.hidden_depth:
            self.hidden_depth -= 1
        if tag in ("td", "th") and self.cell is not None:
            lines = "".join(self.cell).split(BREAK)
            self.row.append("\n".join(_clean(line) for line in lines if _clean(line)))
            self.cell = None
        elif tag == "tr":
            self.row = None

    def handle_data(self, data):
        if self.cell is not None and not self.hidden_depth:
            self.cell.append(data)


def rows_by(html, row_attribute):
    """{value of row_attribute: [cell texts]} for every <tr> carrying it; a
    cell's lines (split at <br> and at paragraphs) are kept as lines."""
    parser = _Rows(row_attribute)
    parser.feed(html)
    return parser.rows


def text(html):
    """All visible text of a page, whitespace collapsed."""
    parser = _Rows("-")
    chunks = []
    parser.handle_data = lambda data: chunks.append(data) if not parser.hidden_depth else None
    parser.feed(html)
    return _clean(" ".join(chunks))
