#!/usr/bin/python3
"""readability_lxml.py - readability-lxml (Debian python3-readability) as
the benchmark runs it: Document(html).summary(html_partial=True), then the
summary's text with a line break after each block element (the role
html_text plays in the reference runner). Usage and output as
lxml_alltext.py."""
import sys
import time

import lxml.html
from readability import Document

from common import load_pages, write_output

BLOCKS = ('p', 'div', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre',
          'table', 'tr', 'td', 'th', 'section', 'article', 'br', 'dd', 'dt', 'figcaption')


def html_to_text(fragment):
    if not fragment or not fragment.strip():
        return ''
    el = lxml.html.fromstring(fragment)
    for b in el.iter(*BLOCKS):
        b.tail = '\n' + (b.tail or '')
    return el.text_content()


def main():
    pages = load_pages(sys.argv[1])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    out = {}
    t0 = time.process_time()
    for _ in range(rounds):
        for pid, html in pages:
            try:
                text = html_to_text(Document(html).summary(html_partial=True))
            except Exception as e:  # a peer failing on a page scores 0 there
                print(f'{pid}: {e}', file=sys.stderr)
                text = ''
            out[pid] = {'articleBody': text}
    cpu = time.process_time() - t0
    write_output(sys.argv[2], out)
    print(f'pages {len(pages)} rounds {rounds} cpu_s {cpu:.3f} pages_per_s {len(pages) * rounds / cpu:.1f}')


if __name__ == '__main__':
    main()
